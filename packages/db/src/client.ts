import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as SqliteClient } from "./generated/sqlite/client";
import { PrismaClient as PostgresClient } from "./generated/postgresql/client";
import { databaseConfig, type DatabaseConfig } from "./config";

/**
 * The client type the code is written against. Both generated clients come from one schema, so
 * their models and queries are identical; the PostgreSQL client is typed through this one.
 */
export type Db = SqliteClient;
export type TransactionClient = Parameters<Parameters<Db["$transaction"]>[0]>[0];

export type Database = { db: Db; provider: DatabaseConfig["provider"] };

const providers = new WeakMap<object, DatabaseConfig["provider"]>();

/** The provider behind a client made by `createDatabase`. */
export function providerOf(db: Db): DatabaseConfig["provider"] {
  return providers.get(db) ?? "sqlite";
}

/**
 * A case-insensitive `contains` filter on both providers: SQLite's LIKE already ignores ASCII case;
 * PostgreSQL needs `mode: "insensitive"`, which the SQLite-typed client does not declare.
 */
export function containsInsensitive(db: Db, value: string): { contains: string } {
  return providerOf(db) === "postgresql"
    ? ({ contains: value, mode: "insensitive" } as { contains: string })
    : { contains: value };
}

export function createDatabase(config: DatabaseConfig = databaseConfig()): Database {
  if (config.provider === "postgresql") {
    const adapter = new PrismaPg({ connectionString: config.url });
    const db = new PostgresClient({ adapter }) as unknown as Db;
    providers.set(db, "postgresql");
    return { db, provider: "postgresql" };
  }
  mkdirSync(dirname(config.url), { recursive: true, mode: 0o700 });
  // better-sqlite3 waits up to `timeout` ms for a lock held by another process (CLI, second server).
  const adapter = new PrismaBetterSQLite3({ url: `file:${config.url}`, timeout: 10_000 });
  return { db: new SqliteClient({ adapter }), provider: "sqlite" };
}

const globalForDb = globalThis as unknown as { mastocDatabase?: Database };

/** The process-wide database (one Prisma client per process, kept across hot reloads). */
export function getDatabase(): Database {
  globalForDb.mastocDatabase ??= createDatabase();
  return globalForDb.mastocDatabase;
}
