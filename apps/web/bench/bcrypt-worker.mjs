// One thread of the hashing limit: bcrypt comparisons back to back for at least `seconds`, timed
// from the start of the first to the end of the last, so no comparison is cut off.
import { performance } from "node:perf_hooks";
import { parentPort, workerData } from "node:worker_threads";
import bcrypt from "bcryptjs";

const { password, hash, seconds } = workerData;
bcrypt.compareSync(password, hash);
const started = performance.now();
let compares = 0;
while (performance.now() - started < seconds * 1000) {
  if (!bcrypt.compareSync(password, hash)) throw new Error("bcrypt worker: the password does not match its hash");
  compares += 1;
}
parentPort.postMessage({ compares, ms: performance.now() - started });
