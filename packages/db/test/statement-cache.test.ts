// The SQLite connection's statement cache, driven as Prisma's adapter drives a statement
// (`prepare(sql).bind(args)`, then `reader`, `columns()`, `run()` or `raw().all()`), on a real
// better-sqlite3 database; and through Prisma, on a migrated database.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { createDatabase } from "../src/client";
import { migrate } from "../src/migrate";
import { cacheStatements } from "../src/vendor/prisma-better-sqlite3";
import { createScratchDatabase, type ScratchDatabase } from "../src/testing";

const dir = mkdtempSync(join(tmpdir(), "mastoc-statements-"));
const scratch: ScratchDatabase[] = [];
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await Promise.all(scratch.map((db) => db.drop()));
});

type Adapted = {
  reader: boolean;
  columns(): { name: string; type: string | null }[];
  run(): Database.RunResult;
  raw(): { all(): unknown[][] };
};

/** A database whose statement compilations are counted, with the cache in front of them. */
function counted(size?: number) {
  const database = new Database(join(dir, `${Math.random().toString(36).slice(2)}.db`));
  database.exec("CREATE TABLE climb (id INTEGER PRIMARY KEY, name TEXT NOT NULL, grade TEXT)");
  const compile = database.prepare.bind(database);
  const compiled: string[] = [];
  Object.defineProperty(database, "prepare", {
    value: (sql: string) => (compiled.push(sql), compile(sql)),
    configurable: true,
    writable: true,
  });
  cacheStatements(database, size);
  const statement = (sql: string, args: unknown[] = []) =>
    (database.prepare(sql) as unknown as { bind(args: unknown[]): Adapted }).bind(args);
  return { database, compiled, statement };
}

describe("cacheStatements", () => {
  let db: ReturnType<typeof counted>;
  beforeEach(() => {
    db = counted();
  });

  it("compiles a SQL text once, and gives each use its own parameters", () => {
    const insert = "INSERT INTO climb (name, grade) VALUES (?, ?)";
    for (const [name, grade] of [
      ["Biographie", "9a+"],
      ["Action directe", "9a"],
      ["La Dura Dura", null],
    ]) {
      expect(db.statement(insert, [name, grade]).run().changes).toBe(1);
    }
    const select = "SELECT id, name, grade FROM climb WHERE grade IS ? OR name = ? ORDER BY id";
    expect(db.statement(select, ["9a", "none"]).raw().all()).toEqual([[2, "Action directe", "9a"]]);
    expect(db.statement(select, [null, "Biographie"]).raw().all()).toEqual([
      [1, "Biographie", "9a+"],
      [3, "La Dura Dura", null],
    ]);
    expect(db.compiled).toEqual([insert, select]);
  });

  it("reads rows as arrays only when asked, whatever the statement did before", () => {
    db.statement("INSERT INTO climb (name) VALUES (?)", ["Silence"]).run();
    const sql = "SELECT name, grade FROM climb";
    const statement = db.database.prepare(sql) as unknown as {
      bind(args: unknown[]): Adapted & { all(): unknown[] };
    };
    expect(statement.bind([]).raw().all()).toEqual([["Silence", null]]);
    expect(statement.bind([]).all()).toEqual([{ name: "Silence", grade: null }]);
    expect(
      db
        .statement(sql)
        .columns()
        .map((column) => [column.name, column.type]),
    ).toEqual([
      ["name", "TEXT"],
      ["grade", "TEXT"],
    ]);
    expect(db.statement(sql).reader).toBe(true);
    expect(db.statement("DELETE FROM climb").reader).toBe(false);
  });

  it("keeps the most recently used statements, up to its size", () => {
    const small = counted(2);
    const [a, b, c] = ["SELECT 1", "SELECT 2", "SELECT 3"];
    for (const sql of [a, b, a, c, a, b]) small.statement(sql).raw().all();
    // a, b compiled; a reused; c compiled (b, the least recently used, dropped); a reused; b again.
    expect(small.compiled).toEqual([a, b, c, b]);
  });

  it("refuses wrong parameters as better-sqlite3 does, and the statement stays usable", () => {
    const sql = "SELECT name FROM climb WHERE id = ?";
    expect(() => db.statement(sql, [1, 2]).raw().all()).toThrow(RangeError);
    expect(() =>
      db
        .statement(sql, [{ not: "bindable" }])
        .raw()
        .all(),
    ).toThrow(TypeError);
    db.statement("INSERT INTO climb (name) VALUES (?)", ["Realization"]).run();
    expect(db.statement(sql, [1]).raw().all()).toEqual([["Realization"]]);
  });

  it("serves a statement compiled before the schema changed (SQLite compiles it again)", () => {
    const sql = "SELECT id, name FROM climb WHERE name = ?";
    db.statement("INSERT INTO climb (name) VALUES (?)", ["Hubble"]).run();
    expect(db.statement(sql, ["Hubble"]).raw().all()).toEqual([[1, "Hubble"]]);
    db.database.exec("ALTER TABLE climb ADD COLUMN area TEXT; CREATE INDEX climb_name ON climb (name)");
    expect(db.statement(sql, ["Hubble"]).raw().all()).toEqual([[1, "Hubble"]]);
    expect(db.compiled.filter((entry) => entry === sql)).toHaveLength(1);
  });
});

it("Prisma's queries and transactions run on the cached statements, with the right values", async () => {
  const database = await createScratchDatabase("sqlite");
  scratch.push(database);
  await migrate(database.config);
  const { db } = createDatabase(database.config);
  try {
    const users = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        db.user.create({
          data: { email: `climber${index}@example.com`, username: `climber${index}`, passwordHash: "x" },
          select: { id: true, email: true },
        }),
      ),
    );
    for (const user of users) {
      expect(await db.user.findUnique({ where: { id: user.id }, select: { email: true } })).toEqual({
        email: user.email,
      });
    }
    await expect(
      db.$transaction(async (tx) => {
        await tx.user.update({ where: { id: users[0]!.id }, data: { name: "renamed" } });
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    expect(await db.user.count({ where: { name: "renamed" } })).toBe(0);
    const rows = await db.$queryRaw<{ email: string }[]>`SELECT email FROM "User" WHERE username = ${"climber7"}`;
    expect(rows).toEqual([{ email: "climber7@example.com" }]);
  } finally {
    await db.$disconnect();
  }
});
