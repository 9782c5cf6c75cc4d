// Runs in a piscina worker thread: bcrypt off the request thread, so a burst of sign-ins does not
// stall other requests.
import { readlinkSync } from "node:fs";
import { setPriority } from "node:os";
import { performance } from "node:perf_hooks";
import bcrypt from "bcryptjs";

// Hashing threads run at the lowest scheduling priority (nice 19): during a storm of sign-ins the
// hashes still use every idle cycle, but the request thread, whenever it has work, gets the CPU
// first, so cheap requests are not kept waiting behind a hash. On Linux a thread is a task with
// its own id (read from /proc/thread-self); elsewhere this is skipped.
try {
  const threadId = Number(readlinkSync("/proc/thread-self").split("/").pop());
  if (Number.isInteger(threadId)) setPriority(threadId, 19);
} catch {
  // No per-thread priority on this platform: hashing shares the CPU equally.
}

// Each task answers with the moment it started (milliseconds on the wall clock every thread
// shares), so the pool can tell how long it waited in the queue.
const now = () => performance.timeOrigin + performance.now();

export function hash({ password, cost }) {
  const startedAt = now();
  return { value: bcrypt.hashSync(password, cost), startedAt };
}

export function verify({ password, hash }) {
  const startedAt = now();
  return { value: bcrypt.compareSync(password, hash), startedAt };
}
