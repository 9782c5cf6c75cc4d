import { join } from "node:path";
import { dataDir, type Provider } from "./paths";

/**
 * When SQLite waits for the disk (its `synchronous` setting; the database is in write-ahead-log
 * mode once migrated). `NORMAL` syncs the log at checkpoints, not at every commit: the database stays
 * consistent and a crash of the process loses nothing, but a power cut or a crash of the operating
 * system can undo the last commits before it. `FULL` syncs at every commit, which blocks the event
 * loop for about a millisecond on each write (better-sqlite3 runs statements on that thread).
 */
export type SqliteSynchronous = "NORMAL" | "FULL";

export type DatabaseConfig = {
  provider: Provider;
  /** For SQLite an absolute file path; for PostgreSQL the connection string. */
  url: string;
  /** SQLite only; `NORMAL` when absent. */
  synchronous?: SqliteSynchronous;
};

/** `SQLITE_SYNCHRONOUS`: `normal` (default) or `full`, in any case. */
function sqliteSynchronous(env: NodeJS.ProcessEnv): SqliteSynchronous {
  const value = env.SQLITE_SYNCHRONOUS?.trim().toUpperCase();
  if (!value || value === "NORMAL") return "NORMAL";
  if (value === "FULL") return "FULL";
  throw new Error(`SQLITE_SYNCHRONOUS must be "normal" or "full"; leave it unset for "normal".`);
}

/**
 * Reads the database choice from the environment: PostgreSQL when `DATABASE_URL` starts with
 * `postgres`, otherwise SQLite (a `file:` URL, or `mastoc.db` in the data directory) with its
 * `synchronous` setting from `SQLITE_SYNCHRONOUS`.
 */
export function databaseConfig(env: NodeJS.ProcessEnv = process.env): DatabaseConfig {
  const url = env.DATABASE_URL?.trim();
  if (url && /^postgres(ql)?:\/\//.test(url)) return { provider: "postgresql", url };
  const synchronous = sqliteSynchronous(env);
  if (!url) return { provider: "sqlite", url: join(dataDir(env), "mastoc.db"), synchronous };
  if (url.startsWith("file:")) {
    const path = url.slice("file:".length);
    return { provider: "sqlite", url: path.startsWith("/") ? path : join(dataDir(env), path), synchronous };
  }
  throw new Error(
    `DATABASE_URL must start with "postgresql://" or "file:" (got "${url.split(":")[0]}:…"); leave it unset for the embedded SQLite database.`,
  );
}
