// The Node flags the portal's server runs with, however it is started (the `start` scripts of the
// root and apps/web package.json spell the same flags out; the tests and the bench import them).
//
// V8 lets its old generation grow toward a limit derived from the machine's memory (about 4 GB on a
// 24 GB machine) and collects it lazily on the way, so under sustained load a server that retains
// about 70 MB of live objects swells past 500 MB of uncollected garbage. With a 256 MB limit (over three times what it retains) V8
// collects sooner and the process stays under 300 MB, at no cost in throughput (`pnpm bench`, P4).
export const serverNodeFlags = ["--max-old-space-size=256"];
