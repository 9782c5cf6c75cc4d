// One log line and one metrics sample per request, written when its answer ends: request id
// (the client's `X-Request-Id` when it is a sane token, else a new UUID; echoed in the answer),
// method, route template, status, duration and the caller's user id when one was resolved. Never
// the path's parameters, the query string, headers or bodies: tokens, passwords, cookies and codes
// travel there. Security events of the audit trail are logged at warn with their action.
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import type { ApiObserver, ObservedAudit } from "@mastoc/api";
import type { Metrics } from "./metrics";
import { startTrace } from "./request-trace";
import type { RouteNamer } from "./routes";

/** Request ids accepted from clients: short, and only characters that are safe in any log. */
const ACCEPTED_REQUEST_ID = /^[A-Za-z0-9._:@+=-]{1,128}$/;

export function requestIdOf(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value && ACCEPTED_REQUEST_ID.test(value) ? value : randomUUID();
}

export type RequestLog = {
  (request: IncomingMessage, response: ServerResponse): void;
  /** Requests whose answer has not ended yet. */
  inFlight(): number;
  /** Resolves when no request is in flight. */
  idle(): Promise<void>;
};

export function createRequestLog(log: Logger, metrics: Metrics, nameRoute: RouteNamer): RequestLog {
  let inFlight = 0;
  let waiters: (() => void)[] = [];
  const track = (request: IncomingMessage, response: ServerResponse) => {
    const started = performance.now();
    const requestId = requestIdOf(request.headers["x-request-id"]);
    request.headers["x-request-id"] = requestId;
    response.setHeader("x-request-id", requestId);
    const trace = startTrace(request.headers);
    const method = request.method;
    const route = nameRoute(request.url);
    inFlight++;
    metrics.inFlight.inc();
    response.once("close", () => {
      inFlight--;
      metrics.inFlight.dec();
      const seconds = (performance.now() - started) / 1000;
      const finished = response.writableFinished;
      const status = response.statusCode;
      metrics.request(method, route, finished ? String(status) : "aborted", seconds);
      const line = {
        reqId: requestId,
        method,
        route,
        status,
        durationMs: Math.round(seconds * 1e4) / 10,
        ...(trace.userId ? { userId: trace.userId } : {}),
        ...(finished ? {} : { aborted: true }),
      };
      // A 503 says the service is unavailable for now (starting, stopping, no database): a warning;
      // another 5xx is a fault. Health checks answer 503 by design and stay at info.
      if (status < 500 || route === "/readyz") log.info(line, "request");
      else if (status === 503) log.warn(line, "request");
      else log.error(line, "request");
      if (inFlight === 0 && waiters.length > 0) {
        const done = waiters;
        waiters = [];
        for (const resolve of done) resolve();
      }
    });
  };
  return Object.assign(track, {
    inFlight: () => inFlight,
    idle: () => (inFlight === 0 ? Promise.resolve() : new Promise<void>((resolve) => waiters.push(resolve))),
  });
}

/** Audit actions logged at warn: what an operator watching the log should notice. */
export const SECURITY_EVENTS = new Set([
  "auth.lockout",
  "auth.refresh.reuse_detected",
  "admin.user.reset_2fa",
  "admin.user.role",
  "admin.user.deactivate",
  "admin.user.delete",
  "auth.2fa.disable",
]);

/** The audit observer: the metrics' own, and a warn line for each security event. */
export function observeSecurityEvents(log: Logger, metrics: ApiObserver): NonNullable<ApiObserver["audit"]> {
  return (event: ObservedAudit) => {
    metrics.audit?.(event);
    if (!SECURITY_EVENTS.has(event.action)) return;
    log.warn(
      {
        event: "security",
        action: event.action,
        actorId: event.actorId,
        target: event.targetType,
        targetId: event.targetId,
      },
      `security event ${event.action}`,
    );
  };
}
