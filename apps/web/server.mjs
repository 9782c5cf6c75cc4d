// The portal's HTTP server: Next.js's own request handler behind a plain Node server, so that the
// client address comes from the socket. `next start` keeps any X-Forwarded-For a client sends,
// which would let a client pick the address its rate limits are counted against.
import { existsSync } from "node:fs";
import { createServer } from "node:http";
import { resolve } from "node:path";
import next from "next";

// The repository's .env, if any (variables already set in the environment win).
const envFile = resolve(import.meta.dirname, "..", "..", ".env");
if (existsSync(envFile)) process.loadEnvFile(envFile);

const dev = process.argv.includes("--dev");
const port = Number.parseInt(process.env.PORT ?? "3000", 10);
const hostname = process.env.HOST ?? "0.0.0.0";
// Proxies in front of the server whose X-Forwarded-For entries are trusted (0: none).
const trustedHops = Number.parseInt(process.env.TRUST_PROXY_HOPS ?? "0", 10) || 0;

/** X-Forwarded-For as the app reads it: the client address first, rebuilt from what we can trust. */
function forwardedFor(header, peer) {
  const chain = (Array.isArray(header) ? header.join(",") : (header ?? ""))
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean);
  return [...(trustedHops > 0 ? chain.slice(-trustedHops) : []), peer ?? "unknown"].join(", ");
}

const app = next({ dev, hostname, port, dir: import.meta.dirname });
const handle = app.getRequestHandler();
await app.prepare();

createServer((request, response) => {
  request.headers["x-forwarded-for"] = forwardedFor(request.headers["x-forwarded-for"], request.socket.remoteAddress);
  delete request.headers["x-real-ip"];
  handle(request, response);
}).listen(port, hostname, () => {
  console.info(`mastoc: portal listening on http://localhost:${port}${dev ? " (development)" : ""}`);
});
