import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as SqliteClient } from "./generated/sqlite/client";
import { PrismaClient as PostgresClient } from "./generated/postgresql/client";
import type BetterSqlite3 from "better-sqlite3";
import { cacheStatements } from "./statement-cache";
import { databaseConfig, type DatabaseConfig, type SqliteSynchronous } from "./config";

/**
 * The client type the code is written against. Both generated clients come from one schema, so
 * their models and queries are identical; the PostgreSQL client is typed through this one. The
 * provider travels with the client object itself: module-level registries would be duplicated
 * wherever a bundler copies this module into several chunks of one process.
 */
export type Db = SqliteClient & { readonly $provider: DatabaseConfig["provider"] };
export type TransactionClient = Parameters<Parameters<Db["$transaction"]>[0]>[0];

export type Database = { db: Db; provider: DatabaseConfig["provider"] };

/** The provider behind a client made by `createDatabase`. */
export function providerOf(db: Db): DatabaseConfig["provider"] {
  if (db.$provider !== "sqlite" && db.$provider !== "postgresql") {
    throw new Error("This Prisma client was not made by createDatabase(): its provider is unknown");
  }
  return db.$provider;
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

function withProvider(client: object, provider: DatabaseConfig["provider"]): Db {
  Object.defineProperty(client, "$provider", { value: provider, enumerable: false, writable: false });
  return client as Db;
}

/**
 * Prisma's better-sqlite3 adapter, with two settings of the connection applied as Prisma opens it
 * (and again if it reopens it): its `synchronous` setting, which belongs to a connection and not to
 * the file, and a cache of prepared statements (see statement-cache.ts).
 */
class SqliteAdapter extends PrismaBetterSQLite3 {
  readonly #synchronous: SqliteSynchronous;

  constructor(
    config: ConstructorParameters<typeof PrismaBetterSQLite3>[0],
    { synchronous }: { synchronous: SqliteSynchronous },
  ) {
    super(config);
    this.#synchronous = synchronous;
  }

  override async connect() {
    const connection = await super.connect();
    // The adapter keeps its better-sqlite3 database as `client` (the adapter's version is pinned).
    const database = (connection as unknown as { client?: BetterSqlite3.Database }).client;
    if (typeof database?.prepare !== "function") {
      throw new Error("Prisma's better-sqlite3 adapter no longer exposes its database as `client`");
    }
    cacheStatements(database);
    await connection.executeScript(`PRAGMA synchronous = ${this.#synchronous}`);
    return connection;
  }
}

export function createDatabase(config: DatabaseConfig = databaseConfig()): Database {
  if (config.provider === "postgresql") {
    const adapter = new PrismaPg({ connectionString: config.url });
    return { db: withProvider(new PostgresClient({ adapter }), "postgresql"), provider: "postgresql" };
  }
  mkdirSync(dirname(config.url), { recursive: true, mode: 0o700 });
  // better-sqlite3 waits up to `timeout` ms for a lock held by another process (CLI, second server).
  const adapter = new SqliteAdapter(
    { url: `file:${config.url}`, timeout: 10_000 },
    { synchronous: config.synchronous ?? "NORMAL" },
  );
  return { db: withProvider(new SqliteClient({ adapter }), "sqlite"), provider: "sqlite" };
}

const globalForDb = globalThis as unknown as { mastocDatabase?: Database };

/** The process-wide database (one Prisma client per process, kept across hot reloads). */
export function getDatabase(): Database {
  globalForDb.mastocDatabase ??= createDatabase();
  return globalForDb.mastocDatabase;
}
