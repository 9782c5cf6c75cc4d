// The Node flags the portal's server runs with, however it is started (the `start` scripts of the
// root and apps/web package.json spell the same flags out; the tests and the bench import them).
//
// V8 lets its old generation grow toward a limit derived from the machine's memory (about 4 GB on a
// 24 GB machine) and collects it lazily on the way, so under sustained load a server that retains
// about 70 MB of live objects swells past 500 MB of uncollected garbage. With a 256 MB limit (over
// three times what it retains) V8 collects sooner; 4 MB semi-spaces (16 MB by default) keep the
// young generation's share small too: a request's garbage is short-lived, so scavenging twice as
// often costs little. Under the P1 load of `pnpm bench` the process stays under 300 MB (P4).
export const serverNodeFlags = ["--max-old-space-size=256", "--max-semi-space-size=4"];
