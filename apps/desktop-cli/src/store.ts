// The token store: `${MASTOC_HOME:-~/.mastoc}/auth.json`, folder 0700, file 0600, replaced
// atomically (temp file + rename) so concurrent processes never read a half-written file.
import { randomBytes } from "node:crypto";
import { chmodSync, closeSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { flock } from "fs-ext";
import { CliError } from "./errors";

type StoredUser = { id: string; email: string; username: string; role: string };

export type StoredAuth = {
  server: string;
  access_token: string;
  refresh_token: string;
  /** When the access token expires (ms since the epoch). */
  expires_at: number;
  user: StoredUser;
};

function homeDir(): string {
  return process.env.MASTOC_HOME?.trim() || join(homedir(), ".mastoc");
}

function authFile(): string {
  return join(homeDir(), "auth.json");
}

function ensureHome(): string {
  const dir = homeDir();
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  return dir;
}

export function readAuth(): StoredAuth | null {
  try {
    const data = JSON.parse(readFileSync(authFile(), "utf8")) as Partial<StoredAuth>;
    return data.access_token && data.refresh_token && data.server ? (data as StoredAuth) : null;
  } catch {
    return null;
  }
}

/** Remembers the last server even after logout, so `mastoc login` needs no --server the next time. */
export function readSavedServer(): string | null {
  try {
    return (JSON.parse(readFileSync(authFile(), "utf8")) as { server?: string }).server ?? null;
  } catch {
    return null;
  }
}

function writeAtomically(content: object): void {
  const dir = ensureHome();
  const temp = join(dir, `.auth.json.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  writeFileSync(temp, JSON.stringify(content, null, 2) + "\n", { mode: 0o600 });
  chmodSync(temp, 0o600);
  renameSync(temp, authFile());
}

export function writeAuth(auth: StoredAuth): void {
  writeAtomically(auth);
}

/** Forgets the tokens but keeps the server. */
export function clearAuth(server: string): void {
  writeAtomically({ server });
}

const LOCK_WAIT_MS = 20_000;

/** Takes the exclusive lock on `fd` if no other process holds it. */
const tryLock = (fd: number) =>
  new Promise<boolean>((resolve, reject) =>
    flock(fd, "exnb", (error) => (!error ? resolve(true) : error.code === "EAGAIN" ? resolve(false) : reject(error))),
  );

/**
 * Runs `task` holding an exclusive flock(2) on `auth.json.lock`, so that only one process refreshes
 * the tokens at a time; the others wait, then find the refreshed tokens in the store. The kernel
 * drops the lock when its holder exits, killed or not, so no lock is ever stale and no two waiters
 * can both decide to take one over (the race of lock files judged stale by their age). The file
 * itself is never deleted: a waiter could otherwise hold a lock on a deleted file while a newcomer
 * locks a new one.
 */
export async function withStoreLock<T>(task: () => Promise<T>): Promise<T> {
  const path = join(ensureHome(), "auth.json.lock");
  const fd = openSync(path, "a", 0o600);
  try {
    const deadline = Date.now() + LOCK_WAIT_MS;
    while (!(await tryLock(fd))) {
      if (Date.now() > deadline) {
        throw new CliError(`Another mastoc process is still refreshing the session (${path}); try again.`);
      }
      await sleep(25 + Math.random() * 50);
    }
    return await task();
  } finally {
    // Closing the file releases the lock.
    closeSync(fd);
  }
}
