// `pnpm start`: builds the portal when there is no build or the sources changed since the last one,
// then serves it in this same process (server.mjs) on the embedded SQLite database, migrated and
// bootstrapped on start. One process serves: no wrapper stays resident beside it.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { buildState } from "./build-state.mjs";

const web = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const root = resolve(web, "..", "..");
process.env.NEXT_TELEMETRY_DISABLED = "1";
// The repository's .env, if any, before anything reads the environment (set variables win).
if (existsSync(join(root, ".env"))) process.loadEnvFile(join(root, ".env"));

const state = buildState();
if (state !== "fresh") {
  console.info(
    state === "stale"
      ? "mastoc: the sources changed since the last build; rebuilding…"
      : "mastoc: building the portal…",
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
