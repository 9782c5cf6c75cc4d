// The portal's process: prepares the instance (configuration, migrations, first administrator,
// password workers), then serves. Every request passes the guard; /api/trpc is answered by the
// API's own Node handler, /api/v1 by the REST facade over the same procedures, /docs and
// /api/openapi.json by the API reference, /admin/audit/export by the audit export, /api/users/…/avatar
// by the avatar routes; any other /api path is a 404 problem; pages and NextAuth by Next.js.
import { createServer } from "node:http";
import { getHeapStatistics } from "node:v8";
import next from "next";
import { createRestHandler, getConfig, localSecret, openApiDocument, REST_PREFIX, sendProblem } from "@mastoc/api";
import { dataDir } from "@mastoc/db";
import { createApiHandler, API_PREFIX } from "./api";
import { requestMeta } from "../identity/request";
import { AUDIT_EXPORT_PATH, serveAuditExport } from "./audit-export";
import { avatarRoute, serveAvatar } from "./avatars";
import { serveDocs } from "./docs";
import { applyContentSecurityPolicy, guardRequest } from "./request-guard";

import { startServer } from "./startup";

const REST_PREFIX_SLASH = `${REST_PREFIX}/`;
/** NextAuth's own routes: the only /api paths Next.js answers. */
const NEXTAUTH_PREFIX = "/api/auth/";

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
  // The OpenAPI document is built once, here, rather than on the first request for it.
  openApiDocument();
  const rest = createRestHandler({ requestMeta: (request) => requestMeta(request.headers) });
  const app = next({ dev, hostname, port, dir });
  const handle = app.getRequestHandler();
  await app.prepare();

  const server = createServer((request, response) => {
    if (guardRequest(request, response, guardOptions)) return;
    const url = request.url ?? "/";
    if (url.startsWith(API_PREFIX)) {
      api(request, response);
      return;
    }
    if (url.startsWith(REST_PREFIX_SLASH)) {
      void rest(request, response);
      return;
    }
    const pathname = url.split("?", 1)[0]!;
    if (pathname === AUDIT_EXPORT_PATH) {
      void serveAuditExport(request, response);
      return;
    }
    const avatarOf = avatarRoute(pathname);
    if (avatarOf !== null) {
      void serveAvatar(request, response, avatarOf);
      return;
    }
    applyContentSecurityPolicy(request, response, dev);
    if (serveDocs(request, response, pathname)) return;
    if (pathname.startsWith("/api/") && !pathname.startsWith(NEXTAUTH_PREFIX)) {
      request.resume();
      sendProblem(response, { status: 404, detail: `No route ${pathname}` });
      return;
    }
    void handle(request, response);
  });
  // Idle keep-alive connections are closed by the client (or a proxy in front, whose idle timeouts
  // are commonly 60 s) rather than by this server: a server that closes first races a request the
  // client is sending on that connection, which then fails with "socket closed".
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.listen(port, hostname, () => {
    // The heap limit shows whether the server runs with its Node flags (scripts/node-flags.mjs).
    const heapLimit = Math.round(getHeapStatistics().heap_size_limit / 2 ** 20);
    console.info(
      `mastoc: portal listening on http://localhost:${port}${dev ? " (development)" : ""} (heap limit ${heapLimit} MB)`,
    );
  });
  // A stop request ends the process at once with status 0; open connections are dropped.
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      server.close();
      process.exit(0);
    });
  }
}
