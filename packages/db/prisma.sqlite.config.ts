// Prisma CLI configuration for the SQLite schema. `engine: "js"` with a driver adapter keeps the
// CLI on its Wasm engines, so nothing is downloaded (the native schema engine is not reachable here).
import { join } from "node:path";
import { tmpdir } from "node:os";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { defineConfig } from "prisma/config";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: join("prisma", "schema.prisma"),
  adapter: async () => new PrismaBetterSQLite3({ url: `file:${join(tmpdir(), "mastoc-prisma-cli.db")}` }),
});
