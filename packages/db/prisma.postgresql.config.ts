// Prisma CLI configuration for the generated PostgreSQL copy of the schema (see prisma.sqlite.config.ts).
import { join } from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import { defineConfig } from "prisma/config";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: join("prisma", "postgresql", "schema.prisma"),
  adapter: async () =>
    new PrismaPg({
      connectionString: process.env.MASTOC_MIGRATION_PG_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres",
    }),
});
