// Generates both Prisma clients from the one schema: SQLite as written, PostgreSQL from a copy
// with the provider swapped. Run on install and whenever prisma/schema.prisma changes.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { postgresSchema } from "./postgres-schema.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const schemaPath = join(root, "prisma", "schema.prisma");

const pgDir = join(root, "prisma", "postgresql");
mkdirSync(pgDir, { recursive: true });
writeFileSync(
  join(pgDir, "schema.prisma"),
  "// GENERATED from ../schema.prisma by scripts/generate.mjs. Do not edit.\n" +
    postgresSchema(readFileSync(schemaPath, "utf8")),
);

const prisma = join(root, "node_modules", ".bin", "prisma");
for (const provider of ["sqlite", "postgresql"]) {
  execFileSync(prisma, ["generate", "--config", join(root, `prisma.${provider}.config.ts`)], {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: "1", CHECKPOINT_DISABLE: "1" },
  });
}
