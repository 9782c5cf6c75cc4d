// `pnpm start`: builds the portal when no build exists, then serves it (server.mjs) on the
// embedded SQLite database (migrated and bootstrapped by the server itself on start).
import { spawnSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const web = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const root = resolve(web, "..", "..");
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };

// A local start needs no configuration: without JWT_SECRET it uses (and creates) a secret kept in
// the data directory. A deployment that runs `next start` itself must set JWT_SECRET.
if (!env.JWT_SECRET) {
  const dataDir = env.MASTOC_DATA_DIR ? resolve(root, env.MASTOC_DATA_DIR) : join(root, ".data");
  const file = join(dataDir, "jwt-secret");
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    writeFileSync(file, randomBytes(48).toString("base64url") + "\n", { mode: 0o600 });
  }
  env.JWT_SECRET = readFileSync(file, "utf8").trim();
  console.info(`mastoc: using the generated secret in ${file} (set JWT_SECRET for a real deployment).`);
}

if (!existsSync(join(web, ".next", "BUILD_ID"))) {
  const built = spawnSync("pnpm", ["run", "build"], { cwd: web, env, stdio: "inherit" });
  if (built.status !== 0) process.exit(built.status ?? 1);
}

const server = spawn(process.execPath, ["server.mjs"], {
  cwd: web,
  env: { ...env, NODE_ENV: "production" },
  stdio: "inherit",
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code) => process.exit(code ?? 0));
