// The portal's process: prepares the instance (configuration, migrations, first administrator,
// password workers), then serves. Every request passes the guard; /api/trpc is answered by the
// API's own Node handler; everything else (pages, NextAuth, avatar routes) by Next.js.
import { createServer } from "node:http";
import next from "next";
import { getConfig, localSecret } from "@mastoc/api";
import { dataDir } from "@mastoc/db";
import { createApiHandler, API_PREFIX } from "./api";
import { applyContentSecurityPolicy, guardRequest } from "./guard";
import { startServer } from "./startup";

/** The secret `pnpm start` (a local start) uses when JWT_SECRET is unset: kept in the data directory. */
export function localStartSecret(): string {
  return localSecret(dataDir());
}

export type ServeOptions = { dev: boolean; dir: string };

export async function serve({ dev, dir }: ServeOptions): Promise<void> {
  await startServer();
  const { PORT: port, HOST: hostname, APP_URL: appUrl, TRUST_PROXY_HOPS: trustedHops } = getConfig();
  const guardOptions = { appOrigin: new URL(appUrl).origin, trustedHops };
  const api = createApiHandler();
  const app = next({ dev, hostname, port, dir });
  const handle = app.getRequestHandler();
  await app.prepare();

  const server = createServer((request, response) => {
    if (guardRequest(request, response, guardOptions)) return;
    if (request.url?.startsWith(API_PREFIX)) {
      api(request, response);
      return;
    }
    applyContentSecurityPolicy(request, response, dev);
    void handle(request, response);
  }).listen(port, hostname, () => {
    console.info(`mastoc: portal listening on http://localhost:${port}${dev ? " (development)" : ""}`);
  });
  // A stop request ends the process at once with status 0; open connections are dropped.
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      server.close();
      process.exit(0);
    });
  }
}
