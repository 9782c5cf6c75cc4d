// The portal as an orchestrator and an operator see it, with real processes: readiness during
// start and shutdown, sign-ins in flight at SIGTERM all answered, a second signal ending the
// process at once, /metrics counters moving with real sign-ins and carrying no personal data,
// and logs that are JSON lines with request ids and none of the secrets requests carried.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "./support/portal";
import { eventually, kill, launchPortal, ready, rest, status, type ServiceProcess } from "./support/service";

const PASSWORD = "Crimp-Dyno-Heelhook-93";
const METRICS_TOKEN = "life-metrics-token-0123456789";
let counter = 0;
const unique = () => `life${Date.now().toString(36)}${counter++}`;

async function register(service: ServiceProcess) {
  const name = unique();
  const email = `${name}@example.com`;
  const answer = await rest(service, "/auth/register", { body: { email, username: name, password: PASSWORD } });
  expect(answer.status).toBe(201);
  return { email, name, id: String(answer.body!.id) };
}

async function scrape(url: string, token: string | null = METRICS_TOKEN) {
  const response = await fetch(`${url}/metrics`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
    signal: AbortSignal.timeout(15_000),
  });
  return { status: response.status, text: await response.text(), type: response.headers.get("content-type") };
}

/** The value of one sample of the exposition text (0 when absent). */
function sample(text: string, name: string, labels = ""): number {
  const line = text.split("\n").find((candidate) => candidate.startsWith(`${name}${labels ? `{${labels}}` : ""} `));
  return line ? Number(line.split(" ").at(-1)) : 0;
}

/** The CSRF step of a web sign-in, done beforehand, so that the sign-in itself is one request. */
async function webSignInForm(url: string, email: string) {
  const csrf = await fetch(`${url}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const cookie = csrf.headers
    .getSetCookie()
    .map((value) => value.split(";", 1)[0])
    .join("; ");
  return () =>
    fetch(`${url}/api/auth/callback/credentials`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie },
      body: new URLSearchParams({ csrfToken, email, password: PASSWORD, json: "true" }),
    });
}

describe("start and graceful shutdown", () => {
  it("is live but not ready while it starts, then ready", async () => {
    const portal = await launchPortal();
    try {
      // The first answer of the process: liveness, and readiness (200 once started).
      await eventually(async () => (await status(`${portal.url}/healthz`)) === 200, 60_000, "liveness");
      const health = (await (await fetch(`${portal.url}/healthz`)).json()) as Record<string, unknown>;
      expect(health).toMatchObject({ status: "ok", version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
      await ready(portal);
      const readiness = (await (await fetch(`${portal.url}/readyz`)).json()) as Record<string, unknown>;
      expect(readiness).toMatchObject({
        status: "ready",
        version: health.version,
        checks: { startup: "ok", database: "ok", migrations: "ok", passwordWorkers: "ok" },
      });
      // Every readiness answer before "ready" was a 503, none a 500. Log lines are written
      // asynchronously: wait for the line of the last answer.
      const statuses = () =>
        portal
          .stdout()
          .split("\n")
          .filter((line) => line.includes('"route":"/readyz"'))
          .map((line) => (JSON.parse(line) as { status: number }).status);
      await eventually(async () => statuses().at(-1) === 200, 10_000, "the log line of the last readiness answer");
      expect(statuses().every((code) => code === 200 || code === 503)).toBe(true);
    } finally {
      await kill(portal);
    }
  });

  it("answers every sign-in in flight at SIGTERM (tokens and web), refuses readiness first, then exits 0", async () => {
    // Cost 12 keeps the two password threads busy for seconds with six sign-ins queued.
    const portal = await launchPortal({
      // Concurrent sign-ins to one account each take an attempt of its budget (MAX_LOGIN_ATTEMPTS).
      env: { BCRYPT_COST: "12", METRICS_TOKEN, SHUTDOWN_DELAY_SECONDS: "1", MAX_LOGIN_ATTEMPTS: "50" },
    });
    try {
      await ready(portal, 90_000);
      const user = await register(portal);
      const webForms = await Promise.all([
        webSignInForm(portal.url, user.email),
        webSignInForm(portal.url, user.email),
      ]);
      const tokenSignIns = Array.from({ length: 4 }, () =>
        rest(portal, "/auth/login", { body: { email: user.email, password: PASSWORD } }),
      );
      const webSignIns = webForms.map((send) => send());
      // Six requests in flight, and this scrape.
      await eventually(
        async () => sample((await scrape(portal.url)).text, "mastoc_http_requests_in_flight") >= 7,
        30_000,
        "six sign-ins in flight",
      );
      portal.child.kill("SIGTERM");
      // Readiness turns 503 before the listener closes; liveness still answers.
      await eventually(async () => (await status(`${portal.url}/readyz`)) === 503, 5_000, "readiness 503");
      const answers = await Promise.all(tokenSignIns);
      for (const answer of answers) {
        expect(answer.status).toBe(200);
        expect(answer.body).toHaveProperty("access_token");
      }
      for (const response of await Promise.all(webSignIns)) {
        expect(response.status).toBeLessThan(400);
        expect(response.headers.getSetCookie().some((cookie) => cookie.startsWith("next-auth.session-token="))).toBe(
          true,
        );
      }
      expect(await portal.exited).toBe(0);
      expect(portal.stdout()).toContain('"msg":"stopped"');
      // Once stopped, nothing listens any more.
      await expect(fetch(`${portal.url}/healthz`)).rejects.toThrow();
    } finally {
      await kill(portal);
    }
  });

  it("exits at once on a second signal, without waiting for the requests in flight", async () => {
    const portal = await launchPortal({ env: { BCRYPT_COST: "13", METRICS_TOKEN, MAX_LOGIN_ATTEMPTS: "50" } });
    try {
      await ready(portal, 90_000);
      const user = await register(portal);
      const signIns = Array.from({ length: 6 }, () =>
        rest(portal, "/auth/login", { body: { email: user.email, password: PASSWORD } }).catch(() => null),
      );
      await eventually(
        async () => sample((await scrape(portal.url)).text, "mastoc_http_requests_in_flight") >= 7,
        30_000,
        "six sign-ins in flight",
      );
      portal.child.kill("SIGTERM");
      await eventually(() => portal.stdout().includes("shutting down"), 5_000, "shutdown begun");
      portal.child.kill("SIGINT");
      expect(await portal.exited).toBe(1);
      expect(portal.stdout()).toContain("second signal");
      // The queued sign-ins (cost 13, two threads) could not all have finished: some were cut.
      expect((await Promise.all(signIns)).some((answer) => answer === null)).toBe(true);
    } finally {
      await kill(portal);
    }
  });
});

describe("metrics and logs", () => {
  let portal: ServiceProcess;
  beforeAll(async () => {
    portal = await launchPortal({
      env: { METRICS_TOKEN, MAX_LOGIN_ATTEMPTS: "2", REFRESH_REUSE_GRACE_SECONDS: "0", LOG_LEVEL: "info" },
    });
    await ready(portal);
  });
  afterAll(async () => kill(portal));

  it("serves /metrics only with the bearer token", async () => {
    const anonymous = await scrape(portal.url, null);
    expect(anonymous.status).toBe(401);
    expect(anonymous.type).toContain("application/problem+json");
    expect((await scrape(portal.url, "not-the-metrics-token-at-all")).status).toBe(401);
    const scraped = await scrape(portal.url);
    expect(scraped.status).toBe(200);
    expect(scraped.type).toContain("text/plain");
    expect(scraped.text).toContain("process_cpu_user_seconds_total");
    expect(scraped.text).toContain("nodejs_eventloop_lag_seconds");
  });

  it("counts sign-ins by outcome, lockouts and refresh-token reuse, and carries no personal data", async () => {
    const before = (await scrape(portal.url)).text;
    const user = await register(portal);
    const other = await register(portal);
    const login = await rest(portal, "/auth/login", { body: { email: other.email, password: PASSWORD } });
    expect(login.status).toBe(200);
    // Two wrong passwords lock the account (MAX_LOGIN_ATTEMPTS=2); the next attempt is refused as locked.
    for (let attempt = 0; attempt < 2; attempt++) {
      const failed = await rest(portal, "/auth/login", { body: { email: user.email, password: "Wrong-Password-123" } });
      expect(failed.status).toBe(401);
    }
    const locked = await rest(portal, "/auth/login", { body: { email: user.email, password: PASSWORD } });
    expect(locked.status).toBe(429);
    // A rotated refresh token presented again is reuse (no grace here).
    const refreshToken = String(login.body!.refresh_token);
    expect((await rest(portal, "/auth/refresh", { body: { refresh_token: refreshToken } })).status).toBe(200);
    expect((await rest(portal, "/auth/refresh", { body: { refresh_token: refreshToken } })).status).toBe(401);

    const after = (await scrape(portal.url)).text;
    const moved = (name: string, labels = "") => sample(after, name, labels) - sample(before, name, labels);
    expect(moved("mastoc_sign_ins_total", 'outcome="success"')).toBe(1);
    expect(moved("mastoc_sign_ins_total", 'outcome="failure"')).toBe(2);
    expect(moved("mastoc_sign_ins_total", 'outcome="locked"')).toBe(1);
    expect(moved("mastoc_account_lockouts_total")).toBe(1);
    expect(moved("mastoc_refresh_token_reuse_total")).toBe(1);
    expect(moved("mastoc_http_requests_total", 'method="POST",route="/api/v1/auth/login",status="401"')).toBe(2);
    expect(moved("mastoc_http_requests_total", 'method="POST",route="/api/v1/auth/login",status="429"')).toBe(1);
    expect(moved("mastoc_password_wait_seconds_count")).toBeGreaterThanOrEqual(4);
    expect(after).toMatch(
      /^mastoc_http_request_duration_seconds_bucket\{le="0\.05",method="POST",route="\/api\/v1\/auth\/login"\}/m,
    );
    expect(after).toMatch(/^mastoc_password_queue_depth \d+$/m);
    for (const personal of [user.email, user.name, user.id, other.email, other.id, "127.0.0.1", refreshToken]) {
      expect(after).not.toContain(personal);
    }
    // Paths with ids are counted under their template.
    expect(await status(`${portal.url}/api/v1/users/${user.id}/avatar`)).toBe(404);
    const templated = (await scrape(portal.url)).text;
    expect(templated).toContain('route="/api/v1/users/{id}/avatar"');
    expect(templated).not.toContain(user.id);
  });

  it("writes one JSON line per request with its request id, never the secrets it carried", async () => {
    const user = await register(portal);
    const login = await rest(portal, "/auth/login", { body: { email: user.email, password: PASSWORD } });
    const accessToken = String(login.body!.access_token);
    const refreshToken = String(login.body!.refresh_token);
    const me = await rest(portal, "/auth/me", { token: accessToken, headers: { "x-request-id": "trace-me-0042" } });
    expect(me.status).toBe(200);
    expect(me.headers.get("x-request-id")).toBe("trace-me-0042");
    // A hostile request id is replaced, not logged.
    const hostile = await fetch(`${portal.url}/api/trpc/auth.status`, { headers: { "x-request-id": "evil\tid {}" } });
    expect(hostile.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    const resetToken = "reset-token-secret-5c1f2e";
    expect(await status(`${portal.url}/reset-password?token=${resetToken}`)).toBe(200);
    const cookieSecret = "cookie-secret-value-9d8e7f";
    await status(`${portal.url}/api/trpc/auth.status`, {
      headers: { cookie: `next-auth.session-token=${cookieSecret}` },
    });
    await rest(portal, "/auth/refresh", { body: { refresh_token: refreshToken } });
    // Lines are written in batches, at most a fraction of a second after their request: the last
    // request's line says every earlier one is out too.
    await status(`${portal.url}/healthz`, { headers: { "x-request-id": "trace-last-0043" } });

    await eventually(
      () => portal.stdout().includes('"reqId":"trace-last-0043"'),
      10_000,
      "the last request's log line",
    );
    const lines = portal.stdout().split("\n").filter(Boolean);
    const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const requests = entries.filter((entry) => entry.msg === "request");
    expect(requests.length).toBeGreaterThan(10);
    for (const entry of requests) {
      expect(entry).toMatchObject({ reqId: expect.any(String), method: expect.any(String), route: expect.any(String) });
      expect(typeof entry.status).toBe("number");
      expect(typeof entry.durationMs).toBe("number");
      expect(typeof entry.time).toBe("string");
    }
    expect(requests.find((entry) => entry.reqId === "trace-me-0042")).toMatchObject({
      level: "info",
      method: "GET",
      route: "/api/v1/auth/me",
      status: 200,
      userId: user.id,
    });
    expect(requests.some((entry) => entry.route === "/reset-password")).toBe(true);
    for (const secret of [PASSWORD, accessToken, refreshToken, resetToken, cookieSecret]) {
      expect(portal.output()).not.toContain(secret);
    }
  });

  it("logs security events at warn with their audit action", async () => {
    const user = await register(portal);
    for (let attempt = 0; attempt < 2; attempt++) {
      await rest(portal, "/auth/login", { body: { email: user.email, password: "Wrong-Password-123" } });
    }
    await eventually(
      () =>
        portal
          .stdout()
          .split("\n")
          .some((line) => line.includes('"action":"auth.lockout"') && line.includes(user.id)),
      10_000,
      "the lockout's log line",
    );
    const line = portal
      .stdout()
      .split("\n")
      .find((candidate) => candidate.includes('"action":"auth.lockout"') && candidate.includes(user.id))!;
    expect(JSON.parse(line)).toMatchObject({ level: "warn", action: "auth.lockout", targetId: user.id });
    expect(line).not.toContain(user.email);
  });
});

describe("metrics on their own port", () => {
  it("serves /metrics on METRICS_PORT without a token, and not on the public port", async () => {
    // Port 0 is refused at start: the operator names the port.
    const invalid = await launchPortal({ env: { METRICS_PORT: "0" } });
    expect(await invalid.exited).toBe(1);
    expect(invalid.output()).toContain("METRICS_PORT");
    const metricsPort = await freePort();
    const service = await launchPortal({ env: { METRICS_PORT: String(metricsPort) } });
    try {
      await ready(service);
      expect(await status(`${service.url}/metrics`)).toBe(404);
      const scraped = await scrape(`http://127.0.0.1:${metricsPort}`, null);
      expect(scraped.status).toBe(200);
      expect(scraped.text).toContain("mastoc_http_requests_total");
      expect(await status(`http://127.0.0.1:${metricsPort}/readyz`)).toBe(404);
    } finally {
      await kill(service);
    }
  });
});
