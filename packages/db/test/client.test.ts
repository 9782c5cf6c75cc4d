// The SQLite connection's durability setting: read from the environment, applied by the client on
// the connection it opens, and safe against a crash of the process.
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { createDatabase } from "../src/client";
import { databaseConfig, type DatabaseConfig } from "../src/config";
import { migrate } from "../src/migrate";
import { createScratchDatabase, type ScratchDatabase } from "../src/testing";

const pkg = join(import.meta.dirname, "..");
const scratch: ScratchDatabase[] = [];
afterAll(async () => Promise.all(scratch.map((db) => db.drop())));

async function migrated(): Promise<DatabaseConfig> {
  const db = await createScratchDatabase("sqlite");
  scratch.push(db);
  await migrate(db.config);
  return db.config;
}

/** SQLite's numbers for the setting: 1 is NORMAL, 2 is FULL. */
async function synchronousOf(config: DatabaseConfig): Promise<number> {
  const { db } = createDatabase(config);
  try {
    const [row] = await db.$queryRawUnsafe<{ synchronous: bigint | number }[]>("PRAGMA synchronous");
    return Number(row!.synchronous);
  } finally {
    await db.$disconnect();
  }
}

describe("SQLITE_SYNCHRONOUS", () => {
  const file = { MASTOC_DATA_DIR: "/srv/mastoc" };

  it("is NORMAL unless set, FULL when asked, in any case and with spaces", () => {
    expect(databaseConfig(file)).toEqual({ provider: "sqlite", url: "/srv/mastoc/mastoc.db", synchronous: "NORMAL" });
    expect(databaseConfig({ ...file, SQLITE_SYNCHRONOUS: "" }).synchronous).toBe("NORMAL");
    expect(databaseConfig({ ...file, SQLITE_SYNCHRONOUS: " Full " }).synchronous).toBe("FULL");
    expect(databaseConfig({ ...file, SQLITE_SYNCHRONOUS: "normal" }).synchronous).toBe("NORMAL");
    expect(databaseConfig({ DATABASE_URL: "file:/srv/x.db", SQLITE_SYNCHRONOUS: "FULL" })).toEqual({
      provider: "sqlite",
      url: "/srv/x.db",
      synchronous: "FULL",
    });
  });

  it("refuses any other value by name, and does not apply to PostgreSQL", () => {
    for (const value of ["off", "extra", "0", "full;", "NORMAL\u0000"]) {
      expect(() => databaseConfig({ ...file, SQLITE_SYNCHRONOUS: value })).toThrow(
        /^SQLITE_SYNCHRONOUS must be "normal" or "full"/,
      );
    }
    expect(databaseConfig({ DATABASE_URL: "postgresql://db/mastoc", SQLITE_SYNCHRONOUS: "off" })).toEqual({
      provider: "postgresql",
      url: "postgresql://db/mastoc",
    });
  });

  it("is the setting of the client's connection, on a database in write-ahead-log mode", async () => {
    const config = await migrated();
    expect(await synchronousOf(config)).toBe(1);
    expect(await synchronousOf({ ...config, synchronous: "FULL" })).toBe(2);
    // Absent from a hand-made configuration: NORMAL too.
    expect(await synchronousOf({ provider: "sqlite", url: config.url })).toBe(1);
    const file = new Database(config.url);
    expect(file.pragma("journal_mode", { simple: true })).toBe("wal");
    file.close();
  });

  it("with NORMAL, a commit survives the process being killed right after it", async () => {
    const config = await migrated();
    const script = join(dirname(config.url), "write-then-die.mts");
    writeFileSync(
      script,
      [
        `import { createDatabase } from ${JSON.stringify(join(pkg, "src", "client.ts"))};`,
        `const { db } = createDatabase(${JSON.stringify(config)});`,
        `await db.$executeRawUnsafe("CREATE TABLE crash_probe (id INTEGER PRIMARY KEY, note TEXT NOT NULL)");`,
        `for (let i = 0; i < 50; i++) await db.$executeRawUnsafe("INSERT INTO crash_probe (note) VALUES (?)", "row " + i);`,
        // No disconnect, no checkpoint: the commits are only in the write-ahead log, unsynced.
        `process.kill(process.pid, "SIGKILL");`,
      ].join("\n"),
    );
    const child = spawnSync(process.execPath, ["--import", "tsx", script], {
      cwd: pkg,
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(child.signal, child.stderr).toBe("SIGKILL");
    const file = new Database(config.url);
    expect(file.prepare("SELECT count(*) AS rows, max(id) AS last FROM crash_probe").get()).toEqual({
      rows: 50,
      last: 50,
    });
    expect(file.pragma("integrity_check", { simple: true })).toBe("ok");
    file.close();
  });
});
