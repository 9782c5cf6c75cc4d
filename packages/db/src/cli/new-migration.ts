import "./env";
// Creates the next migration for both providers from the change to prisma/schema.prisma since the
// last migration: `pnpm db:migration:new <name>`. The schema each migration was made from is kept
// in migrations/schema.snapshot.prisma, so `prisma migrate diff` needs no database.
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { migrationsDir, repoRoot } from "../paths";
// @ts-expect-error plain ESM helper shared with the install-time generator
import { postgresSchema } from "../../scripts/postgres-schema.mjs";

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("Usage: pnpm db:migration:new <name>   (lower-case letters, digits and _)");
  process.exit(2);
}

const pkg = join(repoRoot(), "packages", "db");
const schema = join(pkg, "prisma", "schema.prisma");
const snapshot = join(pkg, "migrations", "schema.snapshot.prisma");
const prisma = join(pkg, "node_modules", ".bin", "prisma");
const work = mkdtempSync(join(tmpdir(), "mastoc-migration-"));
const version = new Date().toISOString().replace(/\D/g, "").slice(0, 14);

let wrote = 0;
for (const provider of ["sqlite", "postgresql"] as const) {
  const forProvider = (source: string) => (provider === "sqlite" ? source : postgresSchema(source));
  const to = join(work, `${provider}.to.prisma`);
  writeFileSync(to, forProvider(readFileSync(schema, "utf8")));
  const from = existsSync(snapshot) ? join(work, `${provider}.from.prisma`) : null;
  if (from) writeFileSync(from, forProvider(readFileSync(snapshot, "utf8")));
  const sql = execFileSync(
    prisma,
    [
      "migrate",
      "diff",
      "--config",
      join(pkg, `prisma.${provider}.config.ts`),
      ...(from ? ["--from-schema-datamodel", from] : ["--from-empty"]),
      "--to-schema-datamodel",
      to,
      "--script",
    ],
    {
      cwd: pkg,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
      env: { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: "1", CHECKPOINT_DISABLE: "1" },
    },
  );
  if (!/\b(CREATE|ALTER|DROP)\b/i.test(sql)) continue;
  const file = join(migrationsDir(provider), `${version}_${name}.sql`);
  writeFileSync(file, `-- migrate:up\n${sql}\n-- migrate:down\n`);
  console.log(`wrote ${file}`);
  wrote++;
}
if (wrote === 0) console.log("The schema has not changed since the last migration: nothing written.");
else copyFileSync(schema, snapshot);
