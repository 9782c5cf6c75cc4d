// Whether the portal's production build is missing or older than what it is made from. `pnpm start`
// rebuilds then; the bench refuses to measure such a build.
import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const web = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const root = resolve(web, "..", "..");

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

/** What the build makes: Next's build and the server bundle. */
const outputs = [join(web, ".next", "BUILD_ID"), join(web, "dist", "server.mjs")];

function newestChange(path) {
  if (!existsSync(path)) return 0;
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  return readdirSync(path).reduce((newest, entry) => Math.max(newest, newestChange(join(path, entry))), stats.mtimeMs);
}

/** "missing" when there is no build, "stale" when a source changed since it was made, else "fresh". */
export function buildState() {
  if (!outputs.every(existsSync)) return "missing";
  const built = Math.min(...outputs.map((file) => statSync(file).mtimeMs));
  return built < Math.max(...sources.map(newestChange)) ? "stale" : "fresh";
}
