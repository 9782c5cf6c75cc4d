// The portal's HTTP server: Next.js's own request handler behind a plain Node server, so that the
// client address comes from the socket (`next start` keeps any X-Forwarded-For a client sends,
// which would let a client pick the address its rate limits are counted against), and so that
// every request passes server-guard.mjs first.
import { existsSync } from "node:fs";
import { createServer } from "node:http";
import { resolve } from "node:path";
import next from "next";
import { guardRequest } from "./server-guard.mjs";

// The repository's .env, if any (variables already set in the environment win).
const envFile = resolve(import.meta.dirname, "..", "..", ".env");
if (existsSync(envFile)) process.loadEnvFile(envFile);

const dev = process.argv.includes("--dev");
const port = Number.parseInt(process.env.PORT ?? "3000", 10);
const hostname = process.env.HOST ?? "0.0.0.0";
const appUrl = (process.env.APP_URL ?? `http://localhost:${port}`).replace(/\/+$/, "");
// Proxies in front of the server whose X-Forwarded-For entries are trusted (0: none).
const trustedHops = Number.parseInt(process.env.TRUST_PROXY_HOPS ?? "0", 10) || 0;

const app = next({ dev, hostname, port, dir: import.meta.dirname });
const handle = app.getRequestHandler();
await app.prepare();

createServer((request, response) => {
  if (guardRequest(request, response, { appUrl, dev, trustedHops })) return;
  handle(request, response);
}).listen(port, hostname, () => {
  console.info(`mastoc: portal listening on http://localhost:${port}${dev ? " (development)" : ""}`);
});
