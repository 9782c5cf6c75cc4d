// `pnpm db:backup` / `pnpm db:restore` as processes, on a SQLite database another connection keeps
// writing to during the backup: the copy is consistent (intact, with every row committed before it
// began), existing files are never overwritten without --force, and a file that is not a mastoc
// database is refused before anything changes.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import Database from "better-sqlite3";
import { beforeAll, describe, expect, it } from "vitest";
import { migrate } from "../src/migrate";

const run = promisify(execFile);
const pkg = join(import.meta.dirname, "..");

async function cli(dataDir: string, ...args: string[]) {
  try {
    const { stdout, stderr } = await run(join(pkg, "node_modules", ".bin", "tsx"), ["src/cli/backup.ts", ...args], {
      cwd: pkg,
      env: { ...process.env, MASTOC_DATA_DIR: dataDir, DATABASE_URL: "", INIT_CWD: dataDir },
      encoding: "utf8",
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const climbCount = (file: string) => {
  const database = new Database(file, { readonly: true });
  try {
    return (database.prepare("SELECT COUNT(*) AS n FROM Climb").get() as { n: number }).n;
  } finally {
    database.close();
  }
};

describe("db:backup and db:restore (SQLite)", () => {
  let dataDir: string;
  let databaseFile: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "mastoc-backup-"));
    databaseFile = join(dataDir, "mastoc.db");
    await migrate({ provider: "sqlite", url: databaseFile });
    const database = new Database(databaseFile);
    const insert = database.prepare(
      "INSERT INTO Climb (id, name, grade, createdAt, updatedAt) VALUES (?, ?, '6A', datetime('now'), datetime('now'))",
    );
    database.transaction(() => {
      for (let index = 0; index < 2000; index++) insert.run(`before-${index}`, `Climb ${index} ${"x".repeat(200)}`);
    })();
    database.close();
  });

  it("copies the database while another connection writes, and refuses to overwrite without --force", async () => {
    const writer = new Database(databaseFile, { timeout: 10_000 });
    const insert = writer.prepare(
      "INSERT INTO Climb (id, name, grade, createdAt, updatedAt) VALUES (?, 'during', '6A', datetime('now'), datetime('now'))",
    );
    let writes = 0;
    const backup = cli(dataDir, "backup", "snapshot.db");
    // Writes go on, one per turn of the event loop, until the backup process is done.
    let done = false;
    void backup.finally(() => (done = true));
    while (!done) {
      insert.run(`during-${writes++}`);
      await new Promise((tick) => setImmediate(tick));
    }
    writer.close();
    const result = await backup;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("Backed up");
    const snapshot = join(dataDir, "snapshot.db");
    const copy = new Database(snapshot, { readonly: true });
    expect(copy.pragma("integrity_check", { simple: true })).toBe("ok");
    copy.close();
    // Every row committed before the backup began is in the copy; what came during it may or may not be.
    const copied = climbCount(snapshot);
    expect(copied).toBeGreaterThanOrEqual(2000);
    expect(copied).toBeLessThanOrEqual(2000 + writes);
    expect(writes).toBeGreaterThan(0);

    const before = readFileSync(snapshot);
    const refused = await cli(dataDir, "backup", "snapshot.db");
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("already exists; add --force");
    expect(readFileSync(snapshot).equals(before)).toBe(true);
    const forced = await cli(dataDir, "backup", "snapshot.db", "--force");
    expect(forced.code, forced.stderr).toBe(0);
    expect(climbCount(snapshot)).toBe(2000 + writes);
  });

  it("restores a backup over the database only with --force, and refuses files that are not mastoc databases", async () => {
    const snapshot = join(dataDir, "snapshot.db");
    const expected = climbCount(snapshot);
    const writer = new Database(databaseFile);
    writer.exec("DELETE FROM Climb");
    writer.close();
    expect(climbCount(databaseFile)).toBe(0);

    const refused = await cli(dataDir, "restore", "snapshot.db");
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("already exists; add --force");
    expect(climbCount(databaseFile)).toBe(0);

    const restored = await cli(dataDir, "restore", "snapshot.db", "--force");
    expect(restored.code, restored.stderr).toBe(0);
    expect(climbCount(databaseFile)).toBe(expected);
    const database = new Database(databaseFile, { readonly: true });
    expect(database.pragma("journal_mode", { simple: true })).toBe("wal");
    database.close();

    writeFileSync(join(dataDir, "notes.txt"), "not a database at all ".repeat(100));
    const garbage = await cli(dataDir, "restore", "notes.txt", "--force");
    expect(garbage.code).toBe(1);
    expect(garbage.stderr).toContain("is not a SQLite database");
    const foreign = new Database(join(dataDir, "other.db"));
    foreign.exec("CREATE TABLE t (x)");
    foreign.close();
    const other = await cli(dataDir, "restore", "other.db", "--force");
    expect(other.code).toBe(1);
    expect(other.stderr).toContain("not a mastoc database");
    const missing = await cli(dataDir, "restore", "missing.db", "--force");
    expect(missing.stderr).toContain("There is no file");
    expect(climbCount(databaseFile)).toBe(expected);
    expect(statSync(databaseFile).size).toBeGreaterThan(0);
    const usage = await cli(dataDir, "backup");
    expect(usage.code).toBe(1);
    expect(usage.stderr).toContain("usage: pnpm db:backup <file> [--force]");
  });

  it("sends PostgreSQL users to pg_dump", async () => {
    const result = await run(join(pkg, "node_modules", ".bin", "tsx"), ["src/cli/backup.ts", "backup", "x.db"], {
      cwd: pkg,
      env: { ...process.env, DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/postgres", INIT_CWD: dataDir },
      encoding: "utf8",
    }).catch((error: { code: number; stderr: string }) => error);
    expect(result).toMatchObject({ code: 1, stderr: expect.stringContaining("pg_dump") });
  });
});
