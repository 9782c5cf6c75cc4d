// `pnpm db:seed:demo` creates demo data with random passwords and can run again without duplicates.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { expect, it } from "vitest";

const pkg = join(import.meta.dirname, "..");

it("seeds a moderator, users and climbs once, with passwords only in a 0600 file", () => {
  const dir = mkdtempSync(join(tmpdir(), "mastoc-seed-"));
  const run = () =>
    execFileSync(join(pkg, "node_modules", ".bin", "tsx"), ["src/cli/seed-demo.ts"], {
      cwd: pkg,
      env: { ...process.env, MASTOC_DATA_DIR: dir, DATABASE_URL: "" },
      encoding: "utf8",
    });
  expect(run()).toContain("Demo accounts created");
  expect(run()).toContain("Demo accounts already exist");
  const db = new Database(join(dir, "mastoc.db"), { readonly: true });
  expect(db.prepare("SELECT role, COUNT(*) AS n FROM User GROUP BY role ORDER BY role").all()).toEqual([
    { role: "MODERATOR", n: 1 },
    { role: "USER", n: 2 },
  ]);
  expect(db.prepare("SELECT COUNT(*) AS n FROM Climb WHERE createdById IS NOT NULL").get()).toEqual({ n: 5 });
  db.close();
  const file = join(dir, "demo-accounts.txt");
  expect(statSync(file).mode & 0o777).toBe(0o600);
  expect(readFileSync(file, "utf8").match(/password: \S{16}/g)).toHaveLength(3);
});
