// The token store: `${MASTOC_HOME:-~/.mastoc}/auth.json`, folder 0700, file 0600, replaced
// atomically (temp file + rename) so concurrent processes never read a half-written file. It
// holds every server the user has signed in to, each with its own tokens, and which one is the
// default. Every change is a read-modify-write under the store's lock, so that two processes
// signing in to two servers at once cannot drop each other's tokens.
import { randomBytes } from "node:crypto";
import { chmodSync, closeSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { flock } from "fs-ext";
import { CliError } from "./errors";
import { t } from "./i18n";

type StoredUser = { id: string; email: string; username: string; role: string };

/** The signed-in session on one server. */
export type StoredAuth = {
  server: string;
  access_token: string;
  refresh_token: string;
  /** When the access token expires (ms since the epoch). */
  expires_at: number;
  user: StoredUser;
  /** "oidc" for a sign-in through the server's OpenID provider (`login --web`): refreshed there. */
  via?: "oidc";
};

type ServerEntry = Omit<StoredAuth, "server"> | Record<string, never>;

/** The file's shape. A server without tokens is one the user signed out of (it stays listed). */
export type Store = { version: 2; default: string | null; servers: Record<string, ServerEntry> };

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

const hasTokens = (entry: object | undefined): entry is Omit<StoredAuth, "server"> =>
  !!entry && "access_token" in entry && "refresh_token" in entry && !!entry.access_token && !!entry.refresh_token;

const emptyStore = (): Store => ({ version: 2, default: null, servers: {} });

/**
 * Reads the store. A file of the first format (one server: `{ server, access_token, … }`, or
 * `{ server }` after a logout) reads as a store with that one server as the default; it is
 * rewritten in the current format at the next change.
 */
export function readStore(): Store {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(authFile(), "utf8"));
  } catch {
    return emptyStore();
  }
  if (!data || typeof data !== "object") return emptyStore();
  const record = data as Record<string, unknown>;
  if (record.version === 2 && record.servers && typeof record.servers === "object") {
    const servers = record.servers as Record<string, ServerEntry>;
    const fallback = typeof record.default === "string" && record.default in servers ? record.default : null;
    return { version: 2, default: fallback, servers };
  }
  if (typeof record.server === "string") {
    const { server, ...rest } = record as { server: string } & Record<string, unknown>;
    return {
      version: 2,
      default: server,
      servers: { [server]: hasTokens(rest) ? (rest as Omit<StoredAuth, "server">) : {} },
    };
  }
  return emptyStore();
}

/** The signed-in session on `server`, or null. */
export function authFor(store: Store, server: string): StoredAuth | null {
  const entry = store.servers[server];
  return hasTokens(entry) ? { server, ...entry } : null;
}

/** The session on `server` as the file has it now. */
export function readAuth(server: string): StoredAuth | null {
  return authFor(readStore(), server);
}

/** The default server: the one signed in to last, or chosen with `mastoc servers default`. */
export function readDefaultServer(): string | null {
  return readStore().default;
}

function writeAtomically(content: Store): void {
  const dir = ensureHome();
  const temp = join(dir, `.auth.json.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  writeFileSync(temp, JSON.stringify(content, null, 2) + "\n", { mode: 0o600 });
  chmodSync(temp, 0o600);
  renameSync(temp, authFile());
}

/**
 * Changes the store under its lock: `change` gets the current content and edits it in place.
 * Only for callers that do not hold the lock already; inside `withStoreLock` use `changeLocked`.
 */
export function changeStore<T>(change: (store: Store) => T): Promise<T> {
  return withStoreLock(async () => changeLocked(change));
}

/** A change made by a caller that already holds the lock. */
export function changeLocked<T>(change: (store: Store) => T): T {
  const store = readStore();
  const result = change(store);
  writeAtomically(store);
  return result;
}

export function putAuth(store: Store, auth: StoredAuth, makeDefault: boolean): void {
  const { server, ...entry } = auth;
  store.servers[server] = entry;
  if (makeDefault || !store.default) store.default = server;
}

/** Forgets the tokens of `server` but keeps it listed. */
export function clearAuth(store: Store, server: string): void {
  if (server in store.servers) store.servers[server] = {};
}

const LOCK_WAIT_MS = 20_000;

/** Takes the exclusive lock on `fd` if no other process holds it. */
const tryLock = (fd: number) =>
  new Promise<boolean>((resolve, reject) =>
    flock(fd, "exnb", (error) => (!error ? resolve(true) : error.code === "EAGAIN" ? resolve(false) : reject(error))),
  );

/**
 * Runs `task` holding an exclusive flock(2) on `auth.json.lock`, so that only one process changes
 * the store (a sign-in, a sign-out, a refresh) at a time; the others wait, then find the refreshed
 * tokens in the store. The kernel drops the lock when its holder exits, killed or not, so no lock
 * is ever stale and no two waiters can both decide to take one over (the race of lock files judged
 * stale by their age). The file itself is never deleted: a waiter could otherwise hold a lock on a
 * deleted file while a newcomer locks a new one.
 */
export async function withStoreLock<T>(task: () => Promise<T>): Promise<T> {
  const path = join(ensureHome(), "auth.json.lock");
  const fd = openSync(path, "a", 0o600);
  try {
    const deadline = Date.now() + LOCK_WAIT_MS;
    while (!(await tryLock(fd))) {
      if (Date.now() > deadline) {
        throw new CliError(t("store.busy", { path }));
      }
      await sleep(25 + Math.random() * 50);
    }
    return await task();
  } finally {
    // Closing the file releases the lock.
    closeSync(fd);
  }
}
