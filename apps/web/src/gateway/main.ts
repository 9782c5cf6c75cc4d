// The portal's process: listens at once (health endpoints answer while the instance starts),
// prepares the instance (configuration, database, migrations, first administrator, password
// workers), then serves. Every request passes the guard; /api/trpc is answered by the API's own
// Node handler, /api/v1 by the REST facade over the same procedures, /docs and /api/openapi.json by
// the API reference, /admin/audit/export by the audit export, /api/users/…/avatar by the avatar
// routes, /oidc by the OpenID provider (src/oidc); any other /api path is a 404 problem; pages and NextAuth by Next.js. src/ops/ holds what makes it a service: health, metrics, logs, and
// the graceful shutdown below.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { getHeapStatistics } from "node:v8";
import next from "next";
import {
  closePasswordWorkers,
  ConfigError,
  createRestHandler,
  DATABASE_RETRY_AFTER_SECONDS,
  getConfig,
  localSecret,
  openApiDocument,
  REST_PREFIX,
  requestLocale,
  said,
  sendProblem,
  setApiObserver,
} from "@mastoc/api";
import { dataDir, getDatabase } from "@mastoc/db";
import { createApiHandler, API_PREFIX } from "./api";
import { requestMeta } from "../identity/request";
import { AUDIT_EXPORT_PATH, serveAuditExport } from "./audit-export";
import { avatarRoute, serveAvatar } from "./avatars";
import { serveDocs } from "./docs";
import { applyContentSecurityPolicy, guardRequest } from "./request-guard";
import { startServer, StartupFailed } from "./startup";
import { createOidcHandler } from "../oidc/gateway";
import { opsConfig, type OpsConfig } from "../ops/config";
import { captureConsole, flushLogs, logger } from "../ops/log";
import { bearerMatches, createMetrics, sendMetrics, type Metrics } from "../ops/metrics";
import { createRequestLog, observeSecurityEvents, type RequestLog } from "../ops/request-log";
import { createRouteNamer } from "../ops/routes";
import { sendJson, ServiceState, unavailableInsteadOfFailed } from "../ops/service";

const REST_PREFIX_SLASH = `${REST_PREFIX}/`;
/** NextAuth's own routes: the only /api paths Next.js answers. */
const NEXTAUTH_PREFIX = "/api/auth/";

/** The secret `pnpm start` (a local start) uses when JWT_SECRET is unset: kept in the data directory. */
export function localStartSecret(): string {
  return localSecret(dataDir());
}

export type ServeOptions = { dev: boolean; dir: string };

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

/** Seconds a client is told to wait while the instance starts or stops. */
const UNAVAILABLE_RETRY_SECONDS = 5;

export async function serve({ dev, dir }: ServeOptions): Promise<void> {
  const log = logger();
  captureConsole(log);
  let ops: OpsConfig;
  let config: ReturnType<typeof getConfig>;
  try {
    config = getConfig();
    ops = opsConfig();
  } catch (error) {
    log.fatal(error instanceof ConfigError ? error.message : String(error));
    flushLogs();
    process.exit(1);
  }
  const { PORT: port, HOST: hostname, APP_URL: appUrl, TRUST_PROXY_HOPS: trustedHops } = config;
  const version = (JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { version: string }).version;
  const state = new ServiceState(version);
  const metrics = createMetrics(version, { enabled: Boolean(ops.METRICS_TOKEN || ops.METRICS_PORT) });
  setApiObserver({
    ...metrics.observer,
    audit: observeSecurityEvents(log, metrics.observer),
    databaseError(kind) {
      metrics.observer.databaseError?.(kind);
      if (kind !== "constraint" && kind !== "other") state.lastOutageAt = Date.now();
    },
  });
  const guardOptions = { appOrigin: new URL(appUrl).origin, trustedHops };

  /** The application's routes, once the instance is prepared. */
  let application: Handler | null = null;

  const requestLog = createRequestLog(log, metrics, createRouteNamer(dir));
  const server = createServer((request, response) => {
    requestLog(request, response);
    if (state.phase === "stopping") response.shouldKeepAlive = false;
    const path = (request.url ?? "/").split("?", 1)[0]!;
    if (path === "/healthz") return sendJson(response, 200, state.health());
    if (path === "/readyz") return void answerReadiness(state, metrics, response);
    if (path === "/metrics") return void answerMetrics(request, response, metrics, ops.METRICS_TOKEN);
    if (!application) {
      request.resume();
      return sendProblem(
        response,
        {
          status: 503,
          detail: said("unavailable.starting"),
          headers: { "retry-after": String(UNAVAILABLE_RETRY_SECONDS) },
        },
        requestLocale(request),
      );
    }
    application(request, response);
  });
  // Idle keep-alive connections are closed by the client (or a proxy in front, whose idle timeouts
  // are commonly 60 s) rather than by this server: a server that closes first races a request the
  // client is sending on that connection, which then fails with "socket closed". A shutdown closes
  // them itself.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;

  const shutdown = createShutdown({
    server,
    state,
    metrics,
    log,
    requestLog,
    graceSeconds: ops.SHUTDOWN_GRACE_SECONDS,
    delaySeconds: ops.SHUTDOWN_DELAY_SECONDS,
  });
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => void shutdown(signal));

  await new Promise<void>((listening) => server.listen(port, hostname, listening));
  // The heap limit shows whether the server runs with its Node flags (scripts/node-flags.mjs).
  const heapLimit = Math.round(getHeapStatistics().heap_size_limit / 2 ** 20);
  log.info(
    `portal listening on http://localhost:${port}${dev ? " (development)" : ""} (heap limit ${heapLimit} MB, version ${version})`,
  );
  const metricsServer = ops.METRICS_PORT ? await serveMetricsPort(ops, metrics) : null;
  if (metricsServer) shutdown.also(metricsServer);

  try {
    state.requiredMigration = await startServer(log);
  } catch (error) {
    if (!(error instanceof StartupFailed)) log.fatal({ err: error }, "startup failed");
    flushLogs();
    process.exit(1);
  }
  const api = createApiHandler();
  // The OpenAPI document is built once, here, rather than on the first request for it.
  openApiDocument();
  const rest = createRestHandler({ requestMeta: (request) => requestMeta(request.headers) });
  const oidc = await createOidcHandler();
  const app = next({ dev, hostname, port, dir });
  const handle = app.getRequestHandler();
  await app.prepare();

  application = (request, response) => {
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
    if (oidc(request, response, pathname)) return;
    if (serveDocs(request, response, pathname)) return;
    if (pathname.startsWith("/api/") && !pathname.startsWith(NEXTAUTH_PREFIX)) {
      request.resume();
      sendProblem(
        response,
        { status: 404, detail: said("notFound.route", { path: pathname }) },
        requestLocale(request),
      );
      return;
    }
    unavailableInsteadOfFailed(response, state, DATABASE_RETRY_AFTER_SECONDS);
    void handle(request, response);
  };
  if (state.phase === "starting") {
    state.phase = "ready";
    metrics.ready.set(1);
    log.info("ready");
  }
}

async function answerReadiness(state: ServiceState, metrics: Metrics, response: ServerResponse) {
  const { ready, checks } = await state.readiness();
  metrics.ready.set(ready ? 1 : 0);
  sendJson(response, ready ? 200 : 503, { status: ready ? "ready" : "unavailable", version: state.version, checks });
}

/** /metrics on the portal's port: only with METRICS_TOKEN as a bearer token; without one it is not served. */
async function answerMetrics(request: IncomingMessage, response: ServerResponse, metrics: Metrics, token?: string) {
  request.resume();
  const locale = requestLocale(request);
  if (!token)
    return sendProblem(response, { status: 404, detail: said("notFound.route", { path: "/metrics" }) }, locale);
  if (!bearerMatches(request, token)) {
    return sendProblem(
      response,
      {
        status: 401,
        detail: said("http.metricsToken"),
        headers: { "www-authenticate": `Bearer realm="mastoc-metrics"` },
      },
      locale,
    );
  }
  await sendMetrics(response, metrics);
}

/** The separate metrics port (METRICS_PORT on METRICS_HOST): /metrics only, and the token when one is set. */
async function serveMetricsPort(ops: OpsConfig, metrics: Metrics) {
  const server = createServer((request, response) => {
    const path = (request.url ?? "/").split("?", 1)[0];
    if (path !== "/metrics") {
      request.resume();
      return sendProblem(
        response,
        { status: 404, detail: said("notFound.route", { path: path ?? "/" }) },
        requestLocale(request),
      );
    }
    if (ops.METRICS_TOKEN) return void answerMetrics(request, response, metrics, ops.METRICS_TOKEN);
    request.resume();
    void sendMetrics(response, metrics);
  });
  await new Promise<void>((listening) => server.listen(ops.METRICS_PORT, ops.METRICS_HOST, listening));
  logger().info(`metrics on http://${ops.METRICS_HOST}:${ops.METRICS_PORT}/metrics`);
  return server;
}

type ShutdownOptions = {
  server: ReturnType<typeof createServer>;
  state: ServiceState;
  metrics: Metrics;
  log: ReturnType<typeof logger>;
  requestLog: RequestLog;
  graceSeconds: number;
  delaySeconds: number;
};

/**
 * SIGTERM or SIGINT: /readyz answers 503 at once; after SHUTDOWN_DELAY_SECONDS (default 0) the
 * listener closes (no new connection), idle
 * keep-alive connections close and the others are told `Connection: close` with their next
 * answer; requests in flight (sign-ins included) finish, for up to SHUTDOWN_GRACE_SECONDS. Then
 * the remaining connections are closed, the password workers drained, the database closed, and
 * the process exits 0. A second signal exits at once (status 1).
 */
function createShutdown({ server, state, metrics, log, requestLog, graceSeconds, delaySeconds }: ShutdownOptions) {
  const others: ReturnType<typeof createServer>[] = [];
  const shutdown = async (signal: NodeJS.Signals) => {
    if (state.phase === "stopping") {
      log.warn({ signal }, "second signal: exiting now");
      flushLogs();
      process.exit(1);
    }
    state.phase = "stopping";
    metrics.ready.set(0);
    log.info(
      { signal, inFlight: requestLog.inFlight(), graceSeconds },
      "shutting down: finishing the requests in flight",
    );
    if (delaySeconds > 0) {
      log.info({ delaySeconds }, "not ready any more; still serving while load balancers take note");
      await new Promise((delay) => setTimeout(delay, delaySeconds * 1000));
    }
    server.close();
    for (const other of others) other.close();
    server.closeIdleConnections();
    // Keep-alive connections whose request just ended are closed as they become idle.
    const idleSweep = setInterval(() => server.closeIdleConnections(), 100);
    let graceTimer: NodeJS.Timeout | undefined;
    await Promise.race([
      requestLog.idle(),
      new Promise((over) => (graceTimer = setTimeout(over, graceSeconds * 1000))),
    ]);
    clearTimeout(graceTimer);
    clearInterval(idleSweep);
    if (requestLog.inFlight() > 0)
      log.warn({ inFlight: requestLog.inFlight() }, "grace period over: closing the connections still open");
    server.closeAllConnections();
    // Whatever else hangs (a database that does not answer), the process still ends.
    setTimeout(() => {
      flushLogs();
      process.exit(0);
    }, 5_000).unref();
    await closePasswordWorkers().catch(() => undefined);
    await getDatabase()
      .db.$disconnect()
      .catch(() => undefined);
    log.info("stopped");
    flushLogs();
    process.exit(0);
  };
  return Object.assign(shutdown, { also: (other: ReturnType<typeof createServer>) => others.push(other) });
}
