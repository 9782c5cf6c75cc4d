import { execFile } from "node:child_process";
import { mkdirSync, readdirSync } from "node:fs";
import { dirname } from "node:path";
import { promisify } from "node:util";
import Database from "better-sqlite3";
import { resolveBinary } from "dbmate";
import pg from "pg";
import { databaseConfig, type DatabaseConfig } from "./config";
import { migrationsDir } from "./paths";

const run = promisify(execFile);

/** dbmate's URL for a database: `sqlite:/abs/path`, or the PostgreSQL URL with an explicit sslmode. */
export function dbmateUrl(config: DatabaseConfig): string {
  if (config.provider === "sqlite") return `sqlite:${config.url}`;
  const url = new URL(config.url);
  if (!url.searchParams.has("sslmode")) url.searchParams.set("sslmode", "disable");
  return url.toString();
}

async function dbmate(config: DatabaseConfig, ...args: string[]): Promise<string> {
  const { stdout } = await run(
    resolveBinary(),
    ["--url", dbmateUrl(config), "--migrations-dir", migrationsDir(config.provider), "--no-dump-schema", ...args],
    { env: { ...process.env, DATABASE_URL: "" } },
  );
  return stdout;
}

/** How long an instance waits for another one's migrations before giving up. */
const MIGRATION_LOCK_WAIT_MS = 120_000;

/**
 * Runs `task` holding an exclusive SQLite lock on `<database>.migrate-lock`, a file of its own (the
 * database itself must stay writable for dbmate). The lock goes with the connection, so a crashed
 * holder never leaves it stale; the wait is bounded.
 */
async function withSqliteMigrationLock<T>(databaseFile: string, task: () => Promise<T>): Promise<T> {
  const lock = new Database(`${databaseFile}.migrate-lock`, { timeout: MIGRATION_LOCK_WAIT_MS });
  try {
    lock.exec("BEGIN EXCLUSIVE");
    return await task();
  } finally {
    lock.close();
  }
}

/**
 * Puts a SQLite database in write-ahead-log mode (a setting kept in the file): a commit appends to
 * the log instead of rewriting pages through a rollback journal, so it costs at most one sync
 * (none until a checkpoint with the client's default `synchronous = NORMAL`), and readers are
 * never blocked by a writer (a second process, the CLI's database scripts). better-sqlite3 runs
 * statements on the event loop's thread, so every sync saved is time the server spends answering
 * other requests.
 */
function useWriteAheadLog(databaseFile: string): void {
  const database = new Database(databaseFile, { timeout: MIGRATION_LOCK_WAIT_MS });
  try {
    database.pragma("journal_mode = WAL");
  } finally {
    database.close();
  }
}

/**
 * Applies the committed migrations of the configured provider (idempotent). Instances that start
 * together take turns: an exclusive lock on a file beside the SQLite database, an advisory lock
 * on PostgreSQL.
 */
export async function migrate(config: DatabaseConfig = databaseConfig()): Promise<string> {
  if (config.provider === "sqlite") {
    mkdirSync(dirname(config.url), { recursive: true, mode: 0o700 });
    return withSqliteMigrationLock(config.url, async () => {
      const output = await dbmate(config, "--wait", "up");
      useWriteAheadLog(config.url);
      return output;
    });
  }
  const client = new pg.Client({ connectionString: config.url });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock(727274)");
    return await dbmate(config, "up");
  } finally {
    await client.query("SELECT pg_advisory_unlock(727274)").catch(() => undefined);
    await client.end();
  }
}

/** `dbmate status` output: which migrations are applied. */
export function migrationStatus(config: DatabaseConfig = databaseConfig()): Promise<string> {
  return dbmate(config, "status");
}

/**
 * The version of the newest migration this build ships for `provider` (the timestamp its file
 * name starts with, as dbmate records it in `schema_migrations`).
 */
export function latestMigrationVersion(provider: DatabaseConfig["provider"]): string {
  const versions = readdirSync(migrationsDir(provider))
    .map((name) => /^(\d+)_.*\.sql$/.exec(name)?.[1])
    .filter((version): version is string => Boolean(version));
  return versions.sort().at(-1) ?? "";
}
