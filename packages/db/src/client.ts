import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as SqliteClient } from "./generated/sqlite/client";
import { PrismaClient as PostgresClient } from "./generated/postgresql/client";
import { openReaderFor, type Reader } from "./reader";
import { databaseConfig, type DatabaseConfig } from "./config";
import { SqliteAdapter } from "./vendor/prisma-better-sqlite3";

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

/**
 * Text as the user search compares it: decomposed (NFD), without the combining accents
 * U+0300–U+036F (é → e, Ü → u, ñ → n), lower case. PostgreSQL's `mastoc_fold` (the search
 * indexes' expression) is the same fold; SQLite's trigram tokenizer with `remove_diacritics` folds
 * the same accents. Letters that do not decompose (ø, ß, æ, ł) stay as they are. On SQLite the
 * client's connection also offers this fold to SQL as `mastoc_fold(text)`.
 */
export function foldForSearch(value: string): string {
  return value
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase();
}

const openReaderKey = Symbol.for("mastoc.openReader");

function withProvider(client: object, config: DatabaseConfig): Db {
  Object.defineProperty(client, "$provider", { value: config.provider, enumerable: false, writable: false });
  Object.defineProperty(client, openReaderKey, { value: () => openReaderFor(config), enumerable: false });
  return client as Db;
}

/**
 * A connection of its own to the database of `db`, for one long read (see reader.ts); the caller
 * closes it.
 */
export function openReader(db: Db): Reader {
  const open = (db as unknown as Record<symbol, (() => Reader) | undefined>)[openReaderKey];
  if (!open) throw new Error("This Prisma client was not made by createDatabase(): it has no reader");
  return open();
}

/** How long a request waits for a PostgreSQL connection (connecting, or a free one in the pool). */
export const POOL_TIMEOUT_MS = 5_000;

export function createDatabase(config: DatabaseConfig = databaseConfig()): Database {
  if (config.provider === "postgresql") {
    // A connection that cannot be had within the timeout (server frozen, pool exhausted) fails the
    // request, which the API answers 503 with Retry-After, instead of holding it forever.
    const adapter = new PrismaPg({ connectionString: config.url, connectionTimeoutMillis: POOL_TIMEOUT_MS });
    return { db: withProvider(new PostgresClient({ adapter }), config), provider: "postgresql" };
  }
  mkdirSync(dirname(config.url), { recursive: true, mode: 0o700 });
  // better-sqlite3 waits up to `timeout` ms for a lock held by another process (CLI, second server).
  const adapter = new SqliteAdapter(
    { url: `file:${config.url}`, timeout: 10_000 },
    {
      synchronous: config.synchronous ?? "NORMAL",
      // The user search's fold, for the queries that test rows one by one (see foldForSearch).
      functions: { mastoc_fold: (value: unknown) => (typeof value === "string" ? foldForSearch(value) : null) },
    },
  );
  return { db: withProvider(new SqliteClient({ adapter }), config), provider: "sqlite" };
}

const globalForDb = globalThis as unknown as { mastocDatabase?: Database };

/** The process-wide database (one Prisma client per process, kept across hot reloads). */
export function getDatabase(): Database {
  globalForDb.mastocDatabase ??= createDatabase();
  return globalForDb.mastocDatabase;
}
