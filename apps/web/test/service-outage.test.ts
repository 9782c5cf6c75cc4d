// Database outages under a running portal: a PostgreSQL server the test starts, stops, freezes
// and turns read-only itself, and a SQLite file the portal's user cannot open. While the database
// is unavailable every request that needs it answers 503 with Retry-After (tRPC and REST alike),
// the process stays up and /readyz says why; when it is back, service resumes without a restart
// and nothing acknowledged before the outage is lost.
import { chmodSync, existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { webSignIn } from "./support/clients";
import { startPostgresServer, type PostgresServer } from "./support/postgres-server";
import {
  eventually,
  kill,
  launchPortal,
  makeDataDir,
  ready,
  rest,
  status,
  type ServiceProcess,
} from "./support/service";

const PASSWORD = "Crimp-Dyno-Heelhook-93";
const METRICS_TOKEN = "outage-metrics-token-0123456789";
let counter = 0;
const unique = () => `ops${Date.now().toString(36)}${counter++}`;

async function register(service: ServiceProcess) {
  const name = unique();
  const email = `${name}@example.com`;
  const answer = await rest(service, "/auth/register", { body: { email, username: name, password: PASSWORD } });
  expect(answer.status).toBe(201);
  return { email, id: String(answer.body!.id) };
}

async function signIn(service: ServiceProcess, email: string) {
  const answer = await rest(service, "/auth/login", { body: { email, password: PASSWORD } });
  expect(answer.status).toBe(200);
  return String(answer.body!.access_token);
}

/** A tRPC query over plain HTTP: status, Retry-After and the error's code. */
async function trpcMe(service: ServiceProcess, token: string) {
  const response = await fetch(`${service.url}/api/trpc/auth.me`, {
    headers: { authorization: `Bearer ${token}` },
    signal: AbortSignal.timeout(30_000),
  });
  const body = (await response.json()) as { error?: { json: { data: { code: string } } } };
  return { status: response.status, retryAfter: response.headers.get("retry-after"), code: body.error?.json.data.code };
}

async function readiness(service: ServiceProcess) {
  const response = await fetch(`${service.url}/readyz`, { signal: AbortSignal.timeout(15_000) });
  return { status: response.status, body: (await response.json()) as { checks: Record<string, string> } };
}

describe("a PostgreSQL outage", () => {
  let postgres: PostgresServer;
  let portal: ServiceProcess;
  beforeAll(async () => {
    postgres = await startPostgresServer();
    await postgres.sql("CREATE DATABASE mastoc");
    portal = await launchPortal({ databaseUrl: postgres.url("mastoc"), env: { METRICS_TOKEN } });
    await ready(portal);
  });
  afterAll(async () => {
    await kill(portal);
    await postgres?.destroy();
  });

  it("answers 503 with Retry-After while the server is stopped, stays up, and resumes when it is back", async () => {
    const user = await register(portal);
    const token = await signIn(portal, user.email);
    const climb = await rest(portal, "/climbs", { token, body: { name: "Outage arete", grade: "6A" } });
    expect(climb.status).toBe(201);

    const web = await webSignIn(portal.url, user.email, PASSWORD);
    expect(web.error).toBeNull();

    await postgres.stop();
    // A page whose data the database cannot give: 503 with Retry-After, not Next's 500.
    const page = await fetch(`${portal.url}/profile`, { headers: { cookie: web.cookie! }, redirect: "manual" });
    expect(page.status).toBe(503);
    expect(Number(page.headers.get("retry-after"))).toBeGreaterThan(0);
    // The web sign-in form is told the service is unavailable, not the driver's message.
    expect((await webSignIn(portal.url, user.email, PASSWORD)).error).toMatch(/temporarily unavailable/);
    const me = await trpcMe(portal, token);
    expect(me).toMatchObject({ status: 503, code: "SERVICE_UNAVAILABLE" });
    expect(Number(me.retryAfter)).toBeGreaterThan(0);
    const problem = await rest(portal, "/auth/me", { token });
    expect(problem.status).toBe(503);
    expect(problem.headers.get("content-type")).toContain("application/problem+json");
    expect(Number(problem.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(problem.body).toMatchObject({ status: 503, code: "SERVICE_UNAVAILABLE" });
    expect(String(problem.body!.detail)).toMatch(/temporarily unavailable/);
    const login = await rest(portal, "/auth/login", { body: { email: user.email, password: PASSWORD } });
    expect(login.status).toBe(503);
    expect(await readiness(portal)).toMatchObject({ status: 503, body: { checks: { database: "unavailable" } } });
    expect(await status(`${portal.url}/healthz`)).toBe(200);
    expect(portal.child.exitCode).toBeNull();

    await postgres.start();
    await eventually(async () => (await trpcMe(portal, token)).status === 200, 30_000, "recovery");
    expect((await readiness(portal)).status).toBe(200);
    // What was acknowledged before the outage is there after it.
    const climbs = await rest(portal, `/climbs?search=${encodeURIComponent("Outage arete")}`, { token });
    expect(climbs.status).toBe(200);
    expect(JSON.stringify(climbs.body)).toContain(String(climb.body!.id));
    await signIn(portal, user.email);
    expect(portal.stdout()).not.toMatch(/"status":500/);
  });

  it("answers writes 503 while the database is read-only (a standby, a failover), reads still 200", async () => {
    const user = await register(portal);
    const token = await signIn(portal, user.email);
    await postgres.sql("ALTER SYSTEM SET default_transaction_read_only = on");
    await postgres.sql("SELECT pg_reload_conf()");
    try {
      await eventually(
        async () => {
          const answer = await rest(portal, "/auth/register", {
            body: { email: `${unique()}@example.com`, username: unique(), password: PASSWORD },
          });
          return answer.status === 503 && Number(answer.headers.get("retry-after")) > 0;
        },
        20_000,
        "read-only writes refused with 503",
      );
      expect((await trpcMe(portal, token)).status).toBe(200);
    } finally {
      await postgres.sql("ALTER SYSTEM RESET default_transaction_read_only");
      await postgres.sql("SELECT pg_reload_conf()");
    }
    await eventually(
      async () => {
        const answer = await rest(portal, "/auth/register", {
          body: { email: `${unique()}@example.com`, username: unique(), password: PASSWORD },
        });
        return answer.status === 201;
      },
      20_000,
      "writes accepted again",
    );
  });

  it("answers 503 when no connection can be had in time (a frozen server), and resumes when it thaws", async () => {
    const user = await register(portal);
    const token = await signIn(portal, user.email);
    // Every pooled connection ends, and the frozen server accepts no new one: the pool times out.
    await postgres.sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'mastoc'");
    postgres.freeze(true);
    try {
      const me = await trpcMe(portal, token);
      expect(me).toMatchObject({ status: 503, code: "SERVICE_UNAVAILABLE" });
      expect((await readiness(portal)).status).toBe(503);
    } finally {
      postgres.freeze(false);
    }
    await eventually(async () => (await trpcMe(portal, token)).status === 200, 30_000, "recovery after thaw");
  });

  it("counts the outage in the metrics' database errors, by kind", async () => {
    const response = await fetch(`${portal.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(response.status).toBe(200);
    const text = await response.text();
    const count = (kind: string) =>
      Number(new RegExp(`^mastoc_database_errors_total\\{kind="${kind}"\\} (\\d+)`, "m").exec(text)?.[1] ?? 0);
    expect(count("unreachable")).toBeGreaterThan(0);
    expect(count("read_only")).toBeGreaterThan(0);
    expect(count("timeout")).toBeGreaterThan(0);
  });
});

describe("a PostgreSQL server that is down when the portal starts", () => {
  it("is waited for: healthy but not ready, requests 503, then ready once the server starts", async () => {
    const postgres = await startPostgresServer();
    let portal: ServiceProcess | undefined;
    try {
      await postgres.sql("CREATE DATABASE mastoc");
      await postgres.stop();
      portal = await launchPortal({ databaseUrl: postgres.url("mastoc") });
      const service = portal;
      await eventually(async () => (await status(`${service.url}/healthz`)) === 200, 60_000, "liveness");
      expect(await readiness(service)).toMatchObject({ status: 503, body: { checks: { startup: "starting" } } });
      const refused = await rest(service, "/auth/status");
      expect(refused.status).toBe(503);
      expect(refused.headers.get("content-type")).toContain("application/problem+json");
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
      await postgres.start();
      await ready(service);
      await register(service);
    } finally {
      await kill(portal);
      await postgres.destroy();
    }
  });
});

describe("a SQLite file the portal cannot read", () => {
  // The portal runs as `nobody`: the tests run as root, for whom file permissions do not apply.
  const uid = 65534;
  const gid = 65534;
  let dataDir: string;
  let portal: ServiceProcess | undefined;
  afterAll(async () => kill(portal));

  beforeAll(() => {
    dataDir = makeDataDir(uid, gid);
  });

  it("keeps the instance up but not ready, answers 503, and serves once the file is readable again", async () => {
    portal = await launchPortal({ dataDir, uid, gid });
    await ready(portal);
    const user = await register(portal);
    portal.child.kill("SIGTERM");
    expect(await portal.exited).toBe(0);

    const files = ["mastoc.db", "mastoc.db-wal", "mastoc.db-shm"].map((name) => join(dataDir, name)).filter(existsSync);
    for (const file of files) chmodSync(file, 0o000);
    portal = await launchPortal({ dataDir, uid, gid });
    const service = portal;
    await eventually(async () => (await status(`${service.url}/healthz`)) === 200, 60_000, "liveness");
    expect((await readiness(service)).status).toBe(503);
    const refused = await rest(service, "/auth/login", { body: { email: user.email, password: PASSWORD } });
    expect(refused.status).toBe(503);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(service.child.exitCode).toBeNull();

    for (const file of files) chmodSync(file, 0o600);
    await ready(service);
    await signIn(service, user.email);
  });
});
