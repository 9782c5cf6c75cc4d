// Which database errors mean "unavailable, try again" (503 with Retry-After) and which do not,
// checked on errors raised for real: a SQLite file that cannot be opened, a write lock held by
// another connection, a PostgreSQL port nobody listens on, a pool that cannot connect in time,
// and the ordinary errors callers cause (duplicates, missing rows), which must keep their meaning.
import { mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { createDatabase } from "@mastoc/db";
import { createContext } from "../src/context";
import { databaseOutage, mapDatabaseError, retryAfterOf } from "../src/errors";
import { createCaller } from "../src/root";
import { createUser, useTestDatabase } from "./support";

const caught = async (work: () => unknown): Promise<unknown> => {
  try {
    await work();
  } catch (error) {
    return error;
  }
  throw new Error("expected an error");
};

/** A port that accepts TCP connections and never answers: a frozen server. */
async function silentPort(): Promise<{ port: number; close: () => void }> {
  const server = createServer(() => undefined);
  await new Promise<void>((listening) => server.listen(0, "127.0.0.1", listening));
  const address = server.address();
  return { port: typeof address === "object" && address ? address.port : 0, close: () => server.close() };
}

describe("database outages", () => {
  const database = useTestDatabase();

  it("a SQLite file that cannot be opened, and a lock held too long, are outages", async () => {
    // A path SQLite cannot open as a database file (here a directory: as root, permissions never refuse).
    const unopenable = await caught(() => new Database(mkdtempSync(join(tmpdir(), "mastoc-"))));
    expect(databaseOutage(unopenable)).toBe("unreachable");

    const file = join(mkdtempSync(join(tmpdir(), "mastoc-lock-")), "locked.db");
    const holder = new Database(file);
    holder.exec("CREATE TABLE t (x); BEGIN EXCLUSIVE; INSERT INTO t VALUES (1);");
    const other = new Database(file, { timeout: 50 });
    const busy = await caught(() => other.exec("INSERT INTO t VALUES (2)"));
    expect(databaseOutage(busy)).toBe("timeout");
    holder.exec("ROLLBACK");
    holder.close();
    other.close();
  });

  it("a PostgreSQL server that refuses or never answers is an outage, answered 503 with Retry-After", async () => {
    const refused = new pg.Client({ host: "127.0.0.1", port: 1, connectionTimeoutMillis: 2000 });
    const refusal = await caught(() => refused.connect());
    expect(databaseOutage(refusal)).toBe("unreachable");

    const silent = await silentPort();
    try {
      const frozen = new pg.Pool({ host: "127.0.0.1", port: silent.port, connectionTimeoutMillis: 200 });
      const timeout = await caught(() => frozen.query("SELECT 1"));
      expect(databaseOutage(timeout)).toBe("timeout");
      await frozen.end();

      // Through Prisma and the API: the caller resolution itself answers 503, not 500.
      const { db } = createDatabase({
        provider: "postgresql",
        url: `postgresql://postgres@127.0.0.1:${silent.port}/none`,
      });
      const error = await caught(() =>
        createContext({ db, headers: { get: (name) => (name === "x-api-key" ? "mk_notakey" : null) } }),
      );
      expect(error).toMatchObject({ code: "SERVICE_UNAVAILABLE" });
      expect(retryAfterOf(error)).toBeGreaterThan(0);
      await db.$disconnect();
    } finally {
      silent.close();
    }
  });

  it("errors callers cause keep their meaning: a duplicate is a CONFLICT, not an outage", async () => {
    const user = await createUser(database.db);
    const duplicate = await caught(() =>
      database.db.user.create({ data: { email: user.email, username: `${user.username}x`, passwordHash: "x" } }),
    );
    expect(databaseOutage(duplicate)).toBeNull();
    expect(mapDatabaseError(duplicate)).toMatchObject({ code: "CONFLICT" });
    const caller = createCaller(await createContext({ db: database.db }));
    await expect(caller.auth.status()).resolves.toBeDefined();
  });
});
