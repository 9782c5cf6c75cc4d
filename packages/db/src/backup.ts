// Online backups of a SQLite database and their restore, through SQLite's backup API (as
// better-sqlite3 exposes it): the copy is a consistent snapshot even while the portal writes,
// because the API copies pages under SQLite's own locks and starts over when another connection
// changes the database meanwhile. PostgreSQL is backed up with its own tools (pg_dump, pg_restore).
import { existsSync, renameSync, rmSync, statSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import Database from "better-sqlite3";
import type { DatabaseConfig } from "./config";

export class BackupError extends Error {
  override name = "BackupError";
}

export type CopyOptions = { force?: boolean };

function sqliteOnly(config: DatabaseConfig, verb: string): string {
  if (config.provider !== "sqlite") {
    throw new BackupError(
      `${verb} works on the embedded SQLite database; for PostgreSQL use pg_dump and pg_restore (see README, "Running in production").`,
    );
  }
  return config.url;
}

function refuseExisting(file: string, what: string, { force }: CopyOptions): void {
  if (existsSync(file) && !force) {
    throw new BackupError(`${what} ${file} already exists; add --force to overwrite it.`);
  }
  if (existsSync(file) && statSync(file).isDirectory()) throw new BackupError(`${file} is a directory.`);
}

/** Opens `file` read-only and checks that it is an intact mastoc database (SQLite, migrated). */
function openBackup(file: string): Database.Database {
  if (!existsSync(file)) throw new BackupError(`There is no file ${file}.`);
  let database: Database.Database | undefined;
  try {
    database = new Database(file, { readonly: true, fileMustExist: true });
    const check = database.pragma("quick_check", { simple: true });
    if (check !== "ok") throw new BackupError(`${file} is damaged (SQLite's quick_check: ${String(check)}).`);
    const migrations = database
      .prepare("SELECT COUNT(*) AS count FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'")
      .get() as { count: number };
    if (migrations.count === 0) throw new BackupError(`${file} is a SQLite database, but not a mastoc database.`);
    return database;
  } catch (error) {
    database?.close();
    if (error instanceof BackupError) throw error;
    throw new BackupError(`${file} is not a SQLite database (${(error as Error).message}).`);
  }
}

/** Copies `source` into `destination` through a temporary file beside it, renamed into place once complete. */
async function copyInto(source: Database.Database, destination: string): Promise<void> {
  const partial = join(dirname(destination), `.${basename(destination)}.partial-${process.pid}`);
  rmSync(partial, { force: true });
  try {
    // All remaining pages in one step, under one read transaction: in write-ahead-log mode that
    // blocks no writer, and a copy made in small steps would start over each time the portal
    // writes, possibly for ever on a busy instance.
    await source.backup(partial, { progress: () => 0x7fffffff });
    renameSync(partial, destination);
  } finally {
    rmSync(partial, { force: true });
  }
}

/** Writes a consistent copy of the configured SQLite database to `file`; answers its size in bytes. */
export async function backupDatabase(config: DatabaseConfig, file: string, options: CopyOptions = {}): Promise<number> {
  const path = sqliteOnly(config, "db:backup");
  refuseExisting(file, "The backup file", options);
  if (!existsSync(path)) throw new BackupError(`There is no database at ${path} to back up.`);
  const source = new Database(path, { fileMustExist: true, timeout: 10_000 });
  try {
    await copyInto(source, file);
  } finally {
    source.close();
  }
  openBackup(file).close();
  return statSync(file).size;
}

/**
 * Replaces the configured SQLite database with the backup `file` (checked first). The portal must
 * be stopped: a running instance would keep serving from what it had cached. Its next start
 * applies any migration the backup predates.
 */
export async function restoreDatabase(config: DatabaseConfig, file: string, options: CopyOptions = {}): Promise<void> {
  const path = sqliteOnly(config, "db:restore");
  const backup = openBackup(file);
  try {
    refuseExisting(path, "The database", options);
    // The old database's write-ahead log belongs to the old content: it must not be replayed onto the restored one.
    for (const suffix of ["-wal", "-shm"]) rmSync(`${path}${suffix}`, { force: true });
    await copyInto(backup, path);
  } finally {
    backup.close();
  }
  const restored = new Database(path);
  try {
    restored.pragma("journal_mode = WAL");
  } finally {
    restored.close();
  }
}
