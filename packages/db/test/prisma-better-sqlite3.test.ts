// What src/vendor/prisma-better-sqlite3.ts relies on inside Prisma's better-sqlite3 adapter, checked
// against the installed adapter: an upgrade that changes it fails here, naming that module.
// The adapter's own (uncached) connection runs a workload of every kind of query Prisma sends while
// each prepared statement records what the adapter uses of it.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import type BetterSqlite3 from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { PrismaClient } from "../src/generated/sqlite/client";
import { migrate } from "../src/migrate";
import { createScratchDatabase, type ScratchDatabase } from "../src/testing";
import { CACHED_STATEMENT_MEMBERS, PRISMA_ADAPTER_CHECKED_VERSION } from "../src/vendor/prisma-better-sqlite3";

const MODULE = "packages/db/src/vendor/prisma-better-sqlite3.ts";
const require = createRequire(import.meta.url);
const installed = (
  JSON.parse(
    readFileSync(join(dirname(require.resolve("@prisma/adapter-better-sqlite3")), "..", "package.json"), "utf8"),
  ) as { version: string }
).version;
const relied = (what: string) =>
  `${MODULE} (checked against @prisma/adapter-better-sqlite3 ${PRISMA_ADAPTER_CHECKED_VERSION}, ${installed} installed): ${what}`;

const scratch: ScratchDatabase[] = [];
afterAll(async () => Promise.all(scratch.map((db) => db.drop())));

/** The adapter as Prisma ships it, recording what it reaches for on its connection and statements. */
class RecordingAdapter extends PrismaBetterSQLite3 {
  clients: unknown[] = [];
  used = new Set<string>();

  override async connect() {
    const connection = await super.connect();
    const database = (connection as unknown as { client?: BetterSqlite3.Database }).client;
    this.clients.push(database);
    if (database && typeof database.prepare === "function") {
      const prepare = database.prepare.bind(database);
      const record = (statement: object): object =>
        new Proxy(statement, {
          get: (target, key, receiver) => {
            if (typeof key === "string") this.used.add(key);
            const value = Reflect.get(target, key, receiver) as unknown;
            if (typeof value !== "function") return value;
            // Methods that answer the statement itself (bind, raw) answer the recording proxy.
            return (...args: unknown[]) => {
              const result = (value as (...args: unknown[]) => unknown).apply(target, args);
              return result === target ? receiver : result;
            };
          },
        });
      Object.defineProperty(database, "prepare", {
        value: (sql: string) => record(prepare(sql)),
        configurable: true,
        writable: true,
      });
    }
    return connection;
  }
}

describe(`${MODULE} against the installed @prisma/adapter-better-sqlite3`, () => {
  it("was checked against the installed version", () => {
    expect(
      installed,
      relied("run this file, re-check the adapter's use of its connection, then update PRISMA_ADAPTER_CHECKED_VERSION"),
    ).toBe(PRISMA_ADAPTER_CHECKED_VERSION);
  });

  it("the adapter keeps its database as `client` and uses statements only as the cache serves them", async () => {
    const database = await createScratchDatabase("sqlite");
    scratch.push(database);
    await migrate(database.config);
    const adapter = new RecordingAdapter({ url: `file:${database.config.url}` });
    const db = new PrismaClient({ adapter });
    try {
      const user = await db.user.create({
        data: { email: "recorder@example.com", username: "recorder", passwordHash: "x" },
        select: { id: true },
      });
      await db.authSession.create({
        data: { userId: user.id, kind: "token", expiresAt: new Date(Date.now() + 60_000) },
      });
      await db.user.findUnique({
        where: { id: user.id },
        select: { email: true, createdAt: true, authSessions: { select: { id: true, expiresAt: true } } },
      });
      await db.user.findMany({ where: { email: { contains: "recorder" } }, orderBy: { createdAt: "desc" } });
      await db.user.update({ where: { id: user.id }, data: { name: "renamed" } });
      await db.user.updateMany({ where: { id: user.id }, data: { failedLoginCount: { increment: 1 } } });
      await db.user.count();
      await db.$transaction(async (tx) => {
        await tx.user.findUniqueOrThrow({ where: { id: user.id }, select: { id: true } });
        await tx.user.update({ where: { id: user.id }, data: { name: "again" } });
      });
      await db.$transaction([db.user.count(), db.authSession.deleteMany({ where: { userId: user.id } })]);
      await db.$queryRaw`SELECT email FROM "User" WHERE id = ${user.id}`;
      await db.$executeRaw`UPDATE "User" SET name = ${"raw"} WHERE id = ${user.id}`;
      await expect(
        db.user.create({ data: { email: "recorder@example.com", username: "other", passwordHash: "x" } }),
      ).rejects.toMatchObject({ code: "P2002" });
      await db.user.delete({ where: { id: user.id } });
    } finally {
      await db.$disconnect();
    }
    expect(adapter.clients.length, relied("the adapter never connected")).toBeGreaterThan(0);
    for (const client of adapter.clients) {
      expect(
        typeof (client as { prepare?: unknown } | undefined)?.prepare,
        relied("the adapter's connection no longer keeps its better-sqlite3 database as `client`"),
      ).toBe("function");
    }
    const unsupported = [...adapter.used].filter(
      (member) => !(CACHED_STATEMENT_MEMBERS as readonly string[]).includes(member),
    );
    expect(
      unsupported,
      relied(
        "the adapter now uses statement members the cache does not serve: extend CACHED_STATEMENT_MEMBERS and the cache",
      ),
    ).toEqual([]);
    expect(adapter.used, relied("the adapter no longer prepares statements through `prepare`")).toContain("bind");
  });
});
