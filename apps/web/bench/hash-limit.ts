// The hashing limit of this machine: how many bcrypt comparisons per second all cores can do,
// one worker thread per core, the same library and cost as the server's password workers.
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";

export async function bcryptComparesPerSecond(password: string, hash: string, seconds: number): Promise<number> {
  const worker = new URL("./bcrypt-worker.mjs", import.meta.url);
  const rates = await Promise.all(
    Array.from(
      { length: availableParallelism() },
      () =>
        new Promise<number>((resolve, reject) => {
          new Worker(worker, { workerData: { password, hash, seconds } })
            .once("message", ({ compares, ms }: { compares: number; ms: number }) => resolve((compares / ms) * 1000))
            .once("error", reject);
        }),
    ),
  );
  return rates.reduce((sum, rate) => sum + rate, 0);
}
