// The token store: `${MASTOC_HOME:-~/.mastoc}/auth.json`, folder 0700, file 0600, replaced
// atomically (temp file + rename) so concurrent processes never read a half-written file.
import { randomBytes } from "node:crypto";
import {
  chmodSync,
  mkdirSync,
  openSync,
  closeSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

export type StoredUser = { id: string; email: string; username: string; role: string };

export type StoredAuth = {
  server: string;
  access_token: string;
  refresh_token: string;
  /** When the access token expires (ms since the epoch). */
  expires_at: number;
  user: StoredUser;
};

export function homeDir(): string {
  return process.env.MASTOC_HOME?.trim() || join(homedir(), ".mastoc");
}

export function authFile(): string {
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
export function clearAuth(server: string | null): void {
  if (server) writeAtomically({ server });
  else rmSync(authFile(), { force: true });
}

const LOCK_STALE_MS = 15_000;
const LOCK_WAIT_MS = 20_000;

/**
 * Runs `task` holding `auth.json.lock` (created with O_EXCL), so that only one process refreshes
 * the tokens at a time; the others wait, then find the refreshed tokens in the store. A lock left
 * by a crashed process is taken over after 15 s.
 */
export async function withStoreLock<T>(task: () => Promise<T>): Promise<T> {
  const lock = join(ensureHome(), "auth.json.lock");
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      closeSync(openSync(lock, "wx", 0o600));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      try {
        if (Date.now() - statSync(lock).mtimeMs > LOCK_STALE_MS) rmSync(lock, { force: true });
      } catch {
        // the holder just released it
      }
      if (Date.now() > deadline) throw new Error(`could not lock ${lock}; remove it if no other mastoc is running`);
      await new Promise((done) => setTimeout(done, 25 + Math.random() * 50));
    }
  }
  try {
    return await task();
  } finally {
    rmSync(lock, { force: true });
  }
}
