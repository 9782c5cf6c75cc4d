// `pnpm start`: builds the portal when there is no build or the sources changed since the last one,
// then serves it in this same process (server.mjs) on the embedded SQLite database, migrated and
// bootstrapped on start. One process serves: no wrapper stays resident beside it.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const web = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const root = resolve(web, "..", "..");
process.env.NEXT_TELEMETRY_DISABLED = "1";

// A local start needs no configuration: without JWT_SECRET it uses (and creates) a secret kept in
// the data directory. A deployment must set JWT_SECRET.
if (!process.env.JWT_SECRET) {
  const dataDir = process.env.MASTOC_DATA_DIR ? resolve(root, process.env.MASTOC_DATA_DIR) : join(root, ".data");
  const file = join(dataDir, "jwt-secret");
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    writeFileSync(file, randomBytes(48).toString("base64url") + "\n", { mode: 0o600, flag: "wx" });
  }
  process.env.JWT_SECRET = readFileSync(file, "utf8").trim();
  console.info(`mastoc: using the generated secret in ${file} (set JWT_SECRET for a real deployment).`);
}

/** What the build is made from: a change to any of these makes the build stale. */
const sources = [
  "apps/web/src",
  "apps/web/public",
  "apps/web/scripts/build-server.mjs",
  "apps/web/next.config.ts",
  "apps/web/package.json",
  "packages/api/src",
  "packages/api/package.json",
  "packages/db/src",
  "packages/db/prisma/schema.prisma",
  "pnpm-lock.yaml",
].map((path) => join(root, path));

function newestChange(path) {
  if (!existsSync(path)) return 0;
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  return readdirSync(path).reduce((newest, entry) => Math.max(newest, newestChange(join(path, entry))), stats.mtimeMs);
}

const outputs = [join(web, ".next", "BUILD_ID"), join(web, "dist", "server.mjs")];
const built = outputs.every(existsSync) ? Math.min(...outputs.map((file) => statSync(file).mtimeMs)) : 0;
if (built < Math.max(...sources.map(newestChange))) {
  console.info(
    built ? "mastoc: the sources changed since the last build; rebuilding…" : "mastoc: building the portal…",
  );
  const result = spawnSync("pnpm", ["run", "build"], { cwd: web, stdio: "inherit" });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

process.env.NODE_ENV = "production";
process.chdir(web);
await import("../server.mjs");
