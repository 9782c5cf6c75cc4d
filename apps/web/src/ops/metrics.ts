// The portal's Prometheus metrics (prom-client): HTTP requests by route template, method and
// status, latency histograms, sign-ins by outcome, lockouts, refresh-token reuse, the password
// pool's queue and waits, database errors, readiness and Node's process metrics. Labels only
// take values from bounded sets: never a user id, an email address or a client address.
import { timingSafeEqual, createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import { INTERNAL_PROBLEM, passwordQueueDepth, sendProblem, type ApiObserver, type ObservedAudit } from "@mastoc/api";

const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

/** What a sign-in audit action says about its outcome (the `outcome` label). */
const SIGN_IN_OUTCOMES: Record<string, string> = {
  "auth.login.success": "success",
  "auth.login.failure": "failure",
  "auth.mfa.failure": "failure",
  "auth.login.locked": "locked",
  "auth.mfa.challenge": "mfa_required",
  "auth.login.unverified": "unverified",
};

export type Metrics = {
  registry: Registry;
  /** Counts one answered request. */
  request(method: string | undefined, route: string, status: string, seconds: number): void;
  inFlight: Gauge;
  ready: Gauge;
  observer: ApiObserver;
};

/**
 * The metrics of this process. Counted only when someone can read them (`enabled`: METRICS_TOKEN
 * or METRICS_PORT is set); otherwise every sample is a no-op and Node's process metrics are not
 * collected, so an instance nobody scrapes pays nothing for them.
 */
export function createMetrics(version: string, { enabled = true }: { enabled?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (enabled) collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: "mastoc_http_requests_total",
    help: "HTTP requests answered, by method, route template and status",
    labelNames: ["method", "route", "status"] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: "mastoc_http_request_duration_seconds",
    help: "Time from a request's arrival to the end of its answer, by method and route template",
    labelNames: ["method", "route"] as const,
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const inFlight = new Gauge({
    name: "mastoc_http_requests_in_flight",
    help: "Requests being answered now",
    registers: [registry],
  });
  const ready = new Gauge({
    name: "mastoc_ready",
    help: "1 while the instance is ready to serve (what /readyz answers), 0 while starting, stopping or without its database",
    registers: [registry],
  });
  new Gauge({
    name: "mastoc_build_info",
    help: "The running version (always 1)",
    labelNames: ["version"] as const,
    registers: [registry],
  }).set({ version }, 1);
  const signIns = new Counter({
    name: "mastoc_sign_ins_total",
    help: "Sign-in attempts by outcome (success, failure, locked, mfa_required, unverified)",
    labelNames: ["outcome"] as const,
    registers: [registry],
  });
  const lockouts = new Counter({
    name: "mastoc_account_lockouts_total",
    help: "Accounts locked after too many failed sign-ins",
    registers: [registry],
  });
  const reuse = new Counter({
    name: "mastoc_refresh_token_reuse_total",
    help: "Rotated refresh tokens presented again (their session is revoked)",
    registers: [registry],
  });
  const databaseErrors = new Counter({
    name: "mastoc_database_errors_total",
    help: "Database errors met by requests, by kind (unreachable, timeout, read_only, constraint, other)",
    labelNames: ["kind"] as const,
    registers: [registry],
  });
  new Gauge({
    name: "mastoc_password_queue_depth",
    help: "Password hashes and checks waiting for a worker thread",
    registers: [registry],
    collect() {
      this.set(passwordQueueDepth());
    },
  });
  const passwordWait = new Histogram({
    name: "mastoc_password_wait_seconds",
    help: "Time a password hash or check waited for a worker thread",
    buckets: [0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  for (const outcome of new Set(Object.values(SIGN_IN_OUTCOMES))) signIns.inc({ outcome }, 0);
  for (const kind of ["unreachable", "timeout", "read_only", "constraint", "other"]) databaseErrors.inc({ kind }, 0);

  // Label lookups cost more than the counting: each combination's children are kept.
  const children = new Map<string, { count: Counter; time: Histogram }>();
  if (!enabled) return { registry, inFlight, ready, request: () => undefined, observer: {} };
  return {
    registry,
    inFlight,
    ready,
    request(rawMethod, route, status, seconds) {
      const method = rawMethod && METHODS.has(rawMethod) ? rawMethod : "OTHER";
      const key = `${method} ${route} ${status}`;
      let child = children.get(key);
      if (!child) {
        child = {
          count: requests.labels(method, route, status) as unknown as Counter,
          time: duration.labels(method, route) as unknown as Histogram,
        };
        children.set(key, child);
      }
      child.count.inc();
      child.time.observe(seconds);
    },
    observer: {
      audit({ action }: ObservedAudit) {
        const outcome = SIGN_IN_OUTCOMES[action];
        if (outcome) signIns.inc({ outcome });
        else if (action === "auth.lockout") lockouts.inc();
        else if (action === "auth.refresh.reuse_detected") reuse.inc();
      },
      databaseError(kind) {
        databaseErrors.inc({ kind });
      },
      passwordTask(waitSeconds) {
        passwordWait.observe(waitSeconds);
      },
    },
  };
}

const digest = (value: string) => createHash("sha256").update(value).digest();

/** Whether the request carries `Authorization: Bearer <token>` (compared in constant time). */
export function bearerMatches(request: IncomingMessage, token: string): boolean {
  const presented = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization?.trim() ?? "")?.[1];
  return presented !== undefined && timingSafeEqual(digest(presented), digest(token));
}

/** Answers a scrape: the registry in Prometheus's text format. */
export async function sendMetrics(response: ServerResponse, metrics: Metrics): Promise<void> {
  try {
    const body = await metrics.registry.metrics();
    response.writeHead(200, {
      "content-type": metrics.registry.contentType,
      "cache-control": "no-store",
      "content-length": Buffer.byteLength(body),
    });
    response.end(body);
  } catch (error) {
    console.error("metrics could not be collected:", error);
    // Read by a metrics scraper, not a person.
    sendProblem(response, INTERNAL_PROBLEM, "en");
  }
}
