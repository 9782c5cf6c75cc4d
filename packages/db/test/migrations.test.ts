// The committed migrations of each provider must produce exactly the database that the Prisma
// schema describes, and every schema change must come with its migrations.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { migrate, migrationStatus } from "../src/migrate";
import { createScratchDatabase, type ScratchDatabase } from "../src/testing";
import type { DatabaseConfig } from "../src/config";
import type { Provider } from "../src/paths";

const pkg = join(import.meta.dirname, "..");
const scratch: ScratchDatabase[] = [];
afterAll(async () => Promise.all(scratch.map((db) => db.drop())));

async function fresh(provider: Provider) {
  const db = await createScratchDatabase(provider);
  scratch.push(db);
  return db.config;
}

/** The DDL Prisma derives from the schema alone. */
function schemaDdl(provider: Provider): string {
  const schema =
    provider === "sqlite" ? join(pkg, "prisma", "schema.prisma") : join(pkg, "prisma", "postgresql", "schema.prisma");
  return execFileSync(
    join(pkg, "node_modules", ".bin", "prisma"),
    [
      "migrate",
      "diff",
      "--config",
      join(pkg, `prisma.${provider}.config.ts`),
      "--from-empty",
      "--to-schema-datamodel",
      schema,
      "--script",
    ],
    { cwd: pkg, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] },
  );
}

async function catalog(config: DatabaseConfig): Promise<string[]> {
  if (config.provider === "sqlite") {
    const db = new Database(config.url, { readonly: true });
    const rows = db
      .prepare(
        "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' AND name <> 'schema_migrations'",
      )
      .all() as { type: string; name: string; sql: string | null }[];
    db.close();
    // Whitespace around punctuation is not part of the schema: ALTER TABLE … ADD COLUMN appends to
    // the stored CREATE statement after its last line break.
    const normalized = (sql: string) => sql.replace(/\s+/g, " ").replace(/\s*([(),])\s*/g, "$1");
    return rows.map((row) => `${row.type} ${row.name} ${normalized(row.sql ?? "")}`).sort();
  }
  const client = new pg.Client({ connectionString: config.url });
  await client.connect();
  const queries = [
    `SELECT table_name, column_name, data_type, udt_name, is_nullable, column_default FROM information_schema.columns
       WHERE table_schema = 'public' AND table_name <> 'schema_migrations'`,
    `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename <> 'schema_migrations'`,
    `SELECT conname, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE connamespace = 'public'::regnamespace
       AND conrelid <> COALESCE(to_regclass('public.schema_migrations'), 0)::oid`,
    `SELECT t.typname, e.enumlabel, e.enumsortorder FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid`,
  ];
  const lines: string[] = [];
  for (const query of queries) {
    const result = await client.query(query);
    lines.push(...result.rows.map((row) => JSON.stringify(row)));
  }
  await client.end();
  return lines.sort();
}

/**
 * What the migrations add by hand beyond the schema (Prisma cannot describe them): the triggers
 * that keep the audit roll-up, the account totals, the users by day of last activity and the user
 * search index, the SQLite search
 * table (with its FTS5 shadow tables) and the PostgreSQL trigram index.
 */
const handWritten: Record<Provider, RegExp> = {
  sqlite:
    /^(trigger (AuditLog_daily|User_totals|User_active|User_search)_(insert|update|delete) |table UserSearch(_\w+)? )/,
  postgresql: /"indexname":"User_search_idx"/,
};
const handWrittenCount: Record<Provider, number> = { sqlite: 12 + 5, postgresql: 1 };

async function applyDdl(config: DatabaseConfig, ddl: string) {
  if (config.provider === "sqlite") {
    const db = new Database(config.url);
    db.exec(ddl);
    db.close();
    return;
  }
  const client = new pg.Client({ connectionString: config.url });
  await client.connect();
  await client.query(ddl);
  await client.end();
}

describe.each(["sqlite", "postgresql"] as const)("%s migrations", (provider) => {
  it("produce exactly the schema's database", async () => {
    const migrated = await fresh(provider);
    await migrate(migrated);
    const expected = await fresh(provider);
    await applyDdl(expected, schemaDdl(provider));
    const actual = await catalog(migrated);
    for (const table of ["User", "AuthSession", "RefreshToken", "ApiKey", "AuditLog", "Climb", "RateLimit"]) {
      expect(actual.join("\n")).toContain(table);
    }
    const extra = actual.filter((line) => handWritten[provider].test(line));
    expect(extra).toHaveLength(handWrittenCount[provider]);
    expect(actual.filter((line) => !extra.includes(line))).toEqual(await catalog(expected));
  });

  it("are recorded as applied and re-running them changes nothing", async () => {
    const config = await fresh(provider);
    await migrate(config);
    const before = await catalog(config);
    await migrate(config);
    expect(await catalog(config)).toEqual(before);
    const status = await migrationStatus(config);
    expect(status).toMatch(/Applied: [1-9]/);
    expect(status).toMatch(/Pending: 0/);
  });
});

it("leaves a SQLite database in write-ahead-log mode, which a new connection finds", async () => {
  const config = await fresh("sqlite");
  const before = new Database(config.url);
  expect(before.pragma("journal_mode", { simple: true })).toBe("delete");
  before.close();
  await migrate(config);
  const after = new Database(config.url);
  expect(after.pragma("journal_mode", { simple: true })).toBe("wal");
  after.close();
});

it("every schema change has its migration (the snapshot matches prisma/schema.prisma)", () => {
  const schema = readFileSync(join(pkg, "prisma", "schema.prisma"), "utf8");
  const snapshot = readFileSync(join(pkg, "migrations", "schema.snapshot.prisma"), "utf8");
  expect(snapshot, "run `pnpm db:migration:new <name>` after changing the schema").toBe(schema);
});
