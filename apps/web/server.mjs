// Starts the portal: `node server.mjs` serves the production build (`pnpm build` makes it);
// `node server.mjs --dev` rebuilds the server bundle and runs Next in development mode.
import { existsSync } from "node:fs";
import { resolve } from "node:path";

// The repository's .env, if any (variables already set in the environment win).
const envFile = resolve(import.meta.dirname, "..", "..", ".env");
if (existsSync(envFile)) process.loadEnvFile(envFile);

const dev = process.argv.includes("--dev");
if (dev) await (await import("./scripts/build-server.mjs")).buildServer();
const bundle = resolve(import.meta.dirname, "dist", "server.mjs");
if (!existsSync(bundle)) {
  console.error("mastoc: the server is not built yet: run `pnpm build` (or `pnpm start`, which builds when needed).");
  process.exit(1);
}
const { serve } = await import(bundle);
await serve({ dev, dir: import.meta.dirname });
