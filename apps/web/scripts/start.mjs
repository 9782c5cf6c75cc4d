// `pnpm start`: builds the portal when there is no build or the sources changed since the last one,
// then serves it in this same process (server.mjs) on the embedded SQLite database, migrated and
// bootstrapped on start. One process serves: no wrapper stays resident beside it.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const web = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const root = resolve(web, "..", "..");
process.env.NEXT_TELEMETRY_DISABLED = "1";
// The repository's .env, if any, before anything reads the environment (set variables win).
if (existsSync(join(root, ".env"))) process.loadEnvFile(join(root, ".env"));

/** What the build is made from: a change to any of these makes the build stale. */
const sources = [
  "apps/web/src",
  "apps/web/public",
  "apps/web/scripts/build-server.mjs",
  "apps/web/next.config.mjs",
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

// A local start needs no configuration: without JWT_SECRET it uses (and creates) a secret kept in
// the data directory. A deployment sets JWT_SECRET.
if (!process.env.JWT_SECRET) {
  const { localStartSecret } = await import("../dist/server.mjs");
  process.env.JWT_SECRET = localStartSecret();
  console.info("mastoc: using the generated secret in the data directory (set JWT_SECRET for a real deployment).");
}
process.env.NODE_ENV = "production";
process.chdir(web);
await import("../server.mjs");
