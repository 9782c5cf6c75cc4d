// Scratch databases for tests: a SQLite file in a temporary folder, or a fresh PostgreSQL database
// on the local server (TEST_POSTGRES_URL, default postgresql://postgres@127.0.0.1:5432/postgres).
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import type { DatabaseConfig } from "./config";
import type { Provider } from "./paths";

export const testPostgresUrl = () => process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

export type ScratchDatabase = { config: DatabaseConfig; drop: () => Promise<void> };

export async function createScratchDatabase(provider: Provider): Promise<ScratchDatabase> {
  if (provider === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "mastoc-db-"));
    return {
      config: { provider, url: join(dir, "mastoc.db") },
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const name = `mastoc_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: testPostgresUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(testPostgresUrl());
  url.pathname = `/${name}`;
  return {
    config: { provider, url: url.toString() },
    drop: async () => {
      const client = new pg.Client({ connectionString: testPostgresUrl() });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}
