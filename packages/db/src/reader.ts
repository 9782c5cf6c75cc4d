// A connection of its own for one long read (the audit export): many batches of plain rows read
// straight through the driver, beside the client's own connection. Prisma's query engine costs
// about five times the driver's time to turn a batch of rows into objects, which an export of
// millions of entries would pay on the event loop's thread; a separate connection also keeps the
// long read out of the client's pool (PostgreSQL) and off its write connection (SQLite, where a
// read-only connection in write-ahead-log mode reads a snapshot and never blocks a writer).
import Database from "better-sqlite3";
import pg from "pg";
import type { DatabaseConfig } from "./config";

/** One statement's text in both placeholder styles, and its values (what `Prisma.Sql` offers). */
export type Statement = { sql: string; text: string; values: unknown[] };

export type Columns = { dates: readonly string[]; json: readonly string[] };

export type Reader = {
  /**
   * The rows of a query. The columns named in `columns.dates` come back as `Date`, those in
   * `columns.json` parsed, whichever the provider.
   */
  query<Row>(statement: Statement, columns: Columns): Promise<Row[]>;
  close(): Promise<void>;
};

/** How the client writes a date into SQLite (ISO 8601 in UTC with an explicit offset). */
const sqliteDate = (value: Date) => value.toISOString().replace("Z", "+00:00");

function sqliteReader(file: string): Reader {
  const database = new Database(file, { readonly: true, fileMustExist: true });
  const statements = new Map<string, Database.Statement>();
  return {
    async query<Row>(statement: Statement, columns: Columns) {
      let prepared = statements.get(statement.sql);
      if (!prepared) statements.set(statement.sql, (prepared = database.prepare(statement.sql)));
      const values = statement.values.map((value) =>
        value instanceof Date ? sqliteDate(value) : typeof value === "boolean" ? Number(value) : value,
      );
      const rows = prepared.all(...values) as Record<string, unknown>[];
      for (const row of rows) {
        for (const column of columns.dates) {
          if (typeof row[column] === "string") row[column] = new Date(row[column]);
        }
        for (const column of columns.json) {
          if (typeof row[column] === "string") row[column] = JSON.parse(row[column]);
        }
      }
      return rows as Row[];
    },
    async close() {
      database.close();
    },
  };
}

/** `timestamp(3)` columns hold UTC times without a zone: read them as UTC, not as local time. */
const TIMESTAMP_OID = 1114;
const types = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === TIMESTAMP_OID && format !== "binary"
      ? (value: string) => new Date(`${value.replace(" ", "T")}Z`)
      : pg.types.getTypeParser(oid, format as "text")) as typeof pg.types.getTypeParser,
};

function postgresReader(url: string): Reader {
  const client = new pg.Client({ connectionString: url, types });
  const connected = client.connect();
  return {
    async query<Row>(statement: Statement) {
      await connected;
      // A zone in the text of a `timestamp` value is ignored: send UTC, as the columns hold it.
      const values = statement.values.map((value) => (value instanceof Date ? value.toISOString() : value));
      const result = await client.query(statement.text, values);
      return result.rows as Row[];
    },
    async close() {
      await connected.catch(() => undefined);
      await client.end();
    },
  };
}

export function openReaderFor(config: DatabaseConfig): Reader {
  return config.provider === "sqlite" ? sqliteReader(config.url) : postgresReader(config.url);
}
