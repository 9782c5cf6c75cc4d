// Prisma's better-sqlite3 adapter, with prepared statements kept across queries on its connection.
// The adapter prepares every query's SQL again (`prepare(sql).bind(args)`), and compiling a
// statement costs more than running it: about a tenth of an authenticated request's CPU. The
// queries Prisma sends are a small set of texts with the values as parameters, so a cache keyed by
// the SQL text serves nearly every query after the first.
//
// Prisma offers no public way to reach the connection: the factory opens the better-sqlite3
// database itself, from options that cannot wrap it, and a driver adapter written against Prisma's
// public interface (@prisma/driver-adapter-utils) would repeat the adapter's value conversions and
// error mapping. So this module, and nothing else, relies on two internals of
// @prisma/adapter-better-sqlite3, checked against PRISMA_ADAPTER_CHECKED_VERSION:
// - the connection `connect()` answers keeps its better-sqlite3 database as `client`;
// - it uses a prepared statement only through CACHED_STATEMENT_MEMBERS.
// test/prisma-better-sqlite3.test.ts fails, naming this module, when an upgrade changes either.
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import type BetterSqlite3 from "better-sqlite3";
import type { SqliteSynchronous } from "../config";

export const PRISMA_ADAPTER_CHECKED_VERSION = "6.19.3";
const MODULE = "packages/db/src/vendor/prisma-better-sqlite3.ts";

/** What the adapter may use of a prepared statement (and of the statement `bind` answers). */
export const CACHED_STATEMENT_MEMBERS = ["bind", "reader", "columns", "raw", "all", "run"] as const;

type Statement = BetterSqlite3.Statement<unknown[]>;
type Parameters = unknown[];

/** Distinct statements kept, least recently used dropped first. */
export const STATEMENT_CACHE_SIZE = 500;

/** A cached statement, waiting for its parameters. */
class CachedStatement {
  #columns: BetterSqlite3.ColumnDefinition[] | undefined;

  constructor(readonly statement: Statement) {}

  get reader(): boolean {
    return this.statement.reader;
  }

  /**
   * The result's columns (names and declared types), read once: they depend only on the SQL text
   * and the schema, which changes only through migrations, applied before the server serves.
   */
  columns(): BetterSqlite3.ColumnDefinition[] {
    this.#columns ??= this.statement.columns();
    return this.#columns;
  }

  bind(parameters: Parameters = []): BoundStatement {
    return new BoundStatement(this, parameters);
  }

  run() {
    return this.statement.run();
  }
}

/**
 * The part of a better-sqlite3 statement that the adapter uses, with its parameters. A statement
 * object can be bound only once, so a cached one is not bound: its parameters are passed on each
 * run instead, and its raw mode is set on each read (the setting stays on the statement).
 */
class BoundStatement {
  #raw = false;

  constructor(
    private readonly cached: CachedStatement,
    private readonly parameters: Parameters,
  ) {}

  get reader(): boolean {
    return this.cached.reader;
  }

  columns() {
    return this.cached.columns();
  }

  raw(raw = true): this {
    this.#raw = raw;
    return this;
  }

  run() {
    return this.cached.statement.run(this.parameters);
  }

  all() {
    return this.cached.statement.raw(this.#raw).all(this.parameters);
  }
}

/**
 * Makes `database.prepare` answer from a cache of compiled statements. A statement stays valid when
 * the schema changes (SQLite compiles it again on its next run), and every call runs to completion
 * before the next one starts (better-sqlite3 is synchronous), so a statement is never in use twice.
 */
export function cacheStatements(database: BetterSqlite3.Database, size = STATEMENT_CACHE_SIZE): void {
  const prepare = database.prepare.bind(database) as (sql: string) => Statement;
  const cache = new Map<string, CachedStatement>();
  const cached = (sql: string): CachedStatement => {
    const hit = cache.get(sql);
    if (hit) {
      // Most recently used last: a Map keeps insertion order.
      cache.delete(sql);
      cache.set(sql, hit);
      return hit;
    }
    const statement = new CachedStatement(prepare(sql));
    cache.set(sql, statement);
    if (cache.size > size) cache.delete(cache.keys().next().value!);
    return statement;
  };
  Object.defineProperty(database, "prepare", { value: cached, configurable: true, writable: true });
}

/**
 * Prisma's better-sqlite3 adapter, with three settings of the connection applied as Prisma opens it
 * (and again if it reopens it): its `synchronous` setting, which belongs to a connection and not to
 * the file, the cache of prepared statements, and the SQL functions the application defines
 * (deterministic, one argument or more, through better-sqlite3's public `function`).
 */
export class SqliteAdapter extends PrismaBetterSQLite3 {
  readonly #synchronous: SqliteSynchronous;
  readonly #functions: Record<string, (...args: unknown[]) => unknown>;

  constructor(
    config: ConstructorParameters<typeof PrismaBetterSQLite3>[0],
    {
      synchronous,
      functions = {},
    }: { synchronous: SqliteSynchronous; functions?: Record<string, (...args: unknown[]) => unknown> },
  ) {
    super(config);
    this.#synchronous = synchronous;
    this.#functions = functions;
  }

  override async connect() {
    const connection = await super.connect();
    const database = (connection as unknown as { client?: BetterSqlite3.Database }).client;
    if (typeof database?.prepare !== "function") {
      throw new Error(
        `${MODULE} (checked against @prisma/adapter-better-sqlite3 ${PRISMA_ADAPTER_CHECKED_VERSION}): ` +
          "the adapter's connection no longer keeps its better-sqlite3 database as `client`",
      );
    }
    cacheStatements(database);
    for (const [name, fn] of Object.entries(this.#functions)) database.function(name, { deterministic: true }, fn);
    await connection.executeScript(`PRAGMA synchronous = ${this.#synchronous}`);
    return connection;
  }
}
