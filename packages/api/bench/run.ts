// `pnpm bench`: does a burst of sign-ins (bcrypt cost 12) stall other requests?
// Measures, in one run, how late the event loop answers a cheap request while 16 sign-ins are
// verified (a) in the piscina worker pool, as the server does, and (b) with bcryptjs's async API
// on the main thread, the baseline. Figures are ratios within this run: the machine is shared.
import { monitorEventLoopDelay } from "node:perf_hooks";
import { availableParallelism } from "node:os";
import bcrypt from "bcryptjs";
import { createDatabase } from "@mastoc/db";
import { migrate } from "@mastoc/db/migrate";
import { createScratchDatabase } from "@mastoc/db/testing";

process.env.BCRYPT_COST = "12";
process.env.JWT_SECRET ??= "bench-secret-bench-secret-bench-secret-0123";
process.env.NODE_ENV = "test";

const { getConfig } = await import("../src/config");
const { createContext } = await import("../src/context");
const { createCaller } = await import("../src/root");
const { closePasswordWorkers, hashPassword, warmUpPasswordWorkers } = await import("../src/services/passwords");

const BURST = 16;
const PASSWORD = "Granite-Overhang-Crimp-42";

const scratch = await createScratchDatabase("sqlite");
await migrate(scratch.config);
const { db } = createDatabase(scratch.config);
const hash = await hashPassword(PASSWORD);
await db.user.create({ data: { email: "bench@example.com", username: "bench", passwordHash: hash } });
await warmUpPasswordWorkers();

/** Latency of a cheap request (auth.status, no database) fired every 5 ms while `work` runs. */
async function probeDuring(work: () => Promise<unknown>) {
  const caller = createCaller(await createContext({ db, config: getConfig() }));
  const latencies: number[] = [];
  let running = true;
  const probe = (async () => {
    while (running) {
      const started = performance.now();
      await caller.auth.status();
      latencies.push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  })();
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const started = performance.now();
  await work();
  const elapsed = performance.now() - started;
  running = false;
  await probe;
  loop.disable();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
  return { elapsed, p50: at(0.5), p99: at(0.99), max: at(1), loopMax: loop.max / 1e6, samples: latencies.length };
}

const login = async () => {
  const caller = createCaller(
    await createContext({ db, config: getConfig(), meta: { ip: "198.51.100.1", userAgent: "bench" } }),
  );
  return caller.auth.login({ email: "bench@example.com", password: PASSWORD });
};

const idle = await probeDuring(() => new Promise((resolve) => setTimeout(resolve, 500)));
const pool = await probeDuring(() => Promise.all(Array.from({ length: BURST }, login)));
const mainThread = await probeDuring(() =>
  Promise.all(Array.from({ length: BURST }, () => bcrypt.compare(PASSWORD, hash))),
);

const row = (name: string, r: typeof idle) =>
  `${name.padEnd(34)} ${r.elapsed.toFixed(0).padStart(7)} ms  p50 ${r.p50.toFixed(1).padStart(7)} ms  p99 ${r.p99
    .toFixed(1)
    .padStart(7)} ms  max ${r.max.toFixed(1).padStart(7)} ms  (${r.samples} probes)`;

console.log(
  `bcrypt cost 12, burst of ${BURST} sign-ins, ${availableParallelism()} cores, pool of ${availableParallelism()} threads`,
);
console.log(`${"scenario".padEnd(34)} ${"burst".padStart(10)}  latency of a cheap request during the burst`);
console.log(row("idle (no burst)", idle));
console.log(row("sign-ins, bcrypt in worker pool", pool));
console.log(row("baseline: bcryptjs on main thread", mainThread));
console.log(
  `\nstall ratio (main thread / pool), p99: ${(mainThread.p99 / pool.p99).toFixed(1)}x, max: ${(mainThread.max / pool.max).toFixed(1)}x`,
);
console.log(`pool p99 / idle p99: ${(pool.p99 / idle.p99).toFixed(1)}x`);

await db.$disconnect();
await closePasswordWorkers();
await scratch.drop();
