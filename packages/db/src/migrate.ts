import { execFile } from "node:child_process";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { promisify } from "node:util";
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

/**
 * Applies the committed migrations of the configured provider (idempotent). On PostgreSQL an
 * advisory lock serialises instances that start together.
 */
export async function migrate(config: DatabaseConfig = databaseConfig()): Promise<string> {
  if (config.provider === "sqlite") {
    mkdirSync(dirname(config.url), { recursive: true, mode: 0o700 });
    return dbmate(config, "--wait", "up");
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
