// `pnpm bench` (`--quick` for a short smoke run, `--json PATH` for where the results go).
//
// Measures the production portal over HTTP, and nothing but HTTP, against baselines measured in
// the same run on the same machine: the machine is shared and noisy, so only ratios within one run
// mean anything. Rounds alternate between the baseline and the portal; each round's ratio is taken
// against the mean of the baselines just before and just after it (P5: against the baseline loaded
// at the same time, on the same core), and every figure is the median over the rounds.
//   P1  authenticated `auth.me` req/s (bearer token, web cookie, API key; a session or key per
//       connection) / a raw node:http floor doing the same lookup (JWT verify + one prepared
//       statement per request) on the same database file, with the same sessions
//   P2  sign-ins/s under a storm of concurrent `auth.login` (bcrypt cost 12) / bcrypt compares per
//       second on all cores
//   P3  p99 of an anonymous `auth.status` during that storm / its idle p99
//   P4  peak RSS of the portal process under the P1 load, and of the whole process tree `pnpm start`
//       leaves running
//   P5  authenticated `auth.me` req/s (bearer) of the portal as operated (a JSON log line per
//       request at info, Prometheus metrics counted: METRICS_TOKEN set) / the same build on the
//       same database with LOG_LEVEL=silent and no metrics: what logs and metrics cost
//   S1  `admin.stats` (30 and 365 days) over 100,000 audit entries and 10,000 users on SQLite,
//       one request at a time / `auth.me` on the same portal
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import bcrypt from "bcryptjs";
import pg from "pg";
import { createScratchDatabase, testPostgresUrl } from "@mastoc/db/testing";
import { accessToken, apiKey, revokedAccessToken, sessionCookie, several, stormAccounts, trpcBody } from "./clients";
import { bcryptComparesPerSecond } from "./hash-limit";
import { LoadFailure, probe, storm, throughput, type Target } from "./load";
import { INSIGHT_AUDIT_ENTRIES, INSIGHT_USERS, insightRound, seedInsight } from "./insight";
import { pinToCpus, sampleRss } from "./proc";
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  buildState,
  startFloor,
  startPortal,
  startReadmeCommand,
  temporaryData,
  type PortalData,
  type Provider,
  type Server,
} from "./servers";

const { values: args } = parseArgs({
  options: { quick: { type: "boolean", default: false }, json: { type: "string" } },
});

const plan = args.quick
  ? {
      mode: "quick",
      rounds: 1,
      opsRounds: 1,
      seconds: 1,
      rampSeconds: 0.25,
      warmSeconds: 0.5,
      hashSeconds: 1,
      stormWarmSeconds: 1,
      stormSeconds: 2,
    }
  : {
      mode: "full",
      rounds: 3,
      // P5 compares two figures a few percent apart at most: a round the machine disturbed unevenly
      // moves a median of three, seldom one of five.
      opsRounds: 5,
      seconds: 3,
      rampSeconds: 0.5,
      warmSeconds: 1.5,
      hashSeconds: 3,
      stormWarmSeconds: 2,
      stormSeconds: 6,
    };
/** The P3 probe, idle and during the storm alike (see measureStorm). */
const probeSeconds = Math.max(1, plan.stormSeconds - 1);
/** Concurrent clients of the P1 load, for the floor and the portal alike. */
const CONNECTIONS = 16;
/** Concurrent sign-ins of the P2 storm, and the fewest it must complete in its measured window. */
const STORM = 16;
const STORM_MINIMUM = 4;
/** Requests per second of the P3 probe. */
const PROBE_RATE = 50;
const MB = 1024 * 1024;

type Goal = {
  goal: string;
  unit: string;
  measured: number | null;
  baseline: number | null;
  baselineName: string | null;
  ratio: number | null;
  target: { on: "ratio" | "measured"; op: ">=" | "<="; value: number };
  status: "ok" | "not-yet" | "not measured";
  note?: string;
};

type Round = { phase: string; target: string; [figure: string]: number | string };

const goals: Goal[] = [];
const rounds: Round[] = [];
const cleanups: (() => Promise<void> | void)[] = [];
const startedAt = new Date();
const load = { start: loadavg(), end: [] as number[] };

/** Progress, with the time since the start: the whole run must stay within a few minutes. */
const log = (message: string) =>
  console.info(`[${((Date.now() - startedAt.getTime()) / 1000).toFixed(0).padStart(3)} s] ${message}`);

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

function addGoal(goal: Omit<Goal, "status">) {
  const value = goal.target.on === "ratio" ? goal.ratio : goal.measured;
  const meets = (threshold: number) =>
    value !== null && (goal.target.op === ">=" ? value >= threshold : value <= threshold);
  const status = value === null ? "not measured" : meets(goal.target.value) ? "ok" : "not-yet";
  goals.push({ ...goal, status });
}

function notMeasured(goal: Pick<Goal, "goal" | "unit" | "target">, note: string) {
  addGoal({ ...goal, measured: null, baseline: null, baselineName: null, ratio: null, note });
}

const launched: Server[] = [];

async function started<T extends Server>(server: Promise<T>): Promise<T> {
  const ready = await server;
  launched.push(ready);
  cleanups.push(ready.stop);
  return ready;
}

/** After a failure, the last lines each server wrote: a server that crashed says why. */
function serverLogTails(): string {
  return launched
    .map((server) => {
      const lines = server.logs().trimEnd().split("\n").slice(-20).join("\n");
      return `--- ${server.url} (pid ${server.pid}), its last lines:\n${lines}`;
    })
    .join("\n");
}

/** Every credential must reach the same account before its figures count. */
async function expectSignedIn(name: string, target: Target) {
  const response = await fetch(target.url, { headers: target.headers });
  const body = (await response.json().catch(() => null)) as { result?: { data?: { json?: { email?: string } } } };
  if (!response.ok || body?.result?.data?.json?.email !== ADMIN_EMAIL) {
    throw new LoadFailure(`${name}: expected ${ADMIN_EMAIL} from ${target.url}, got status ${response.status}`);
  }
}

/** ... and a dead credential must be refused: a server that skipped the check would be measured doing less. */
async function expectRefused(name: string, target: Target) {
  const response = await fetch(target.url, { headers: target.headers });
  await response.body?.cancel();
  if (response.status !== 401) {
    throw new LoadFailure(`${name}: expected 401 from ${target.url}, got status ${response.status}`);
  }
}

/** Bearer `auth.me` keeps at least this share of its floor's throughput, per database. */
const P1_BEARER_TARGET: Record<Provider, number> = { sqlite: 0.3, postgresql: 0.4 };
const p1Paths = [
  { key: "bearer", name: "bearer token", target: P1_BEARER_TARGET },
  { key: "cookie", name: "web session cookie", target: 0.1 },
  { key: "apiKey", name: "API key (Bearer mk_)", target: 0.1 },
] as const;

const p1Goal = (provider: Provider, path: (typeof p1Paths)[number]) => ({
  goal: `P1 auth.me, ${path.name}, ${provider}`,
  unit: "req/s",
  target: {
    on: "ratio" as const,
    op: ">=" as const,
    value: typeof path.target === "number" ? path.target : path.target[provider],
  },
});
const serverRssGoal = (provider: Provider) => ({
  goal: `P4 portal RSS under P1 load, ${provider}`,
  unit: "MB",
  target: { on: "measured" as const, op: "<=" as const, value: 300 },
});
const p5Goal = (provider: Provider) => ({
  goal: `P5 auth.me with request logs and metrics, bearer, ${provider}`,
  unit: "req/s",
  target: { on: "ratio" as const, op: ">=" as const, value: 0.9 },
});
/** The metrics token of the portals as operated (P1, P5): metrics are counted only when readable. */
const METRICS_TOKEN = "bench-metrics-token-0123456789";
const p2Goal = {
  goal: `P2 sign-ins under a storm of ${STORM}, bcrypt 12`,
  unit: "/s",
  target: { on: "ratio" as const, op: ">=" as const, value: 0.9 },
};
const p3Goal = {
  goal: "P3 auth.status p99 during the storm",
  unit: "ms",
  target: { on: "ratio" as const, op: "<=" as const, value: 2.5 },
};

/**
 * Runs `baseline`, then each job followed by `baseline` again, so that every measured round sits
 * between two baselines: their mean cancels a load on the machine that rises or falls meanwhile.
 */
async function bracketed<B, V>(
  baseline: () => Promise<B>,
  jobs: (() => Promise<V>)[],
  report: (entry: { before: B; value: V; after: B }, index: number) => void,
): Promise<{ before: B; value: V; after: B }[]> {
  const entries: { before: B; value: V; after: B }[] = [];
  let before = await baseline();
  for (const job of jobs) {
    const value = await job();
    const after = await baseline();
    entries.push({ before, value, after });
    report(entries.at(-1)!, entries.length - 1);
    before = after;
  }
  return entries;
}

const baselineOf = (entry: { before: number; after: number }) => (entry.before + entry.after) / 2;

type P1Key = "floor" | (typeof p1Paths)[number]["key"];
/** One database's portal and floor, and the request of each P1 target, signed in. */
type Stand = {
  provider: Provider;
  portal: Server;
  floor: Server;
  databaseUrl: string;
  targets: Record<P1Key, Target>;
  data: PortalData;
};

/** Like Promise.all, but settles every promise first, so that no server starts after the cleanup. */
async function all<T extends readonly unknown[]>(
  promises: readonly [...{ [K in keyof T]: Promise<T[K]> }],
): Promise<T> {
  const results = await Promise.allSettled(promises);
  const failed = results.find((result): result is PromiseRejectedResult => result.status === "rejected");
  if (failed) throw failed.reason;
  return results.map((result) => (result as PromiseFulfilledResult<unknown>).value) as unknown as T;
}

/**
 * Starts the portal on a fresh database, then the floor on the same database, and signs in three
 * ways, once per connection.
 */
async function setUp(provider: Provider): Promise<Stand> {
  let data: PortalData;
  if (provider === "postgresql") {
    const scratch = await createScratchDatabase("postgresql");
    cleanups.push(scratch.drop);
    data = temporaryData(scratch.config.url);
  } else {
    data = temporaryData();
  }
  cleanups.push(data.remove);
  const portal = await started(startPortal(data, { METRICS_TOKEN }));
  log(`${provider}: portal ready at ${portal.url} (pid ${portal.pid}); starting the floor, signing in`);
  // One session (or key) per connection, as a busy service sees many callers, not one.
  const signIns = async () => {
    const tokens = await several(CONNECTIONS, () => accessToken(portal.url, ADMIN_EMAIL, ADMIN_PASSWORD));
    const cookies = await several(CONNECTIONS, () => sessionCookie(portal.url, ADMIN_EMAIL, ADMIN_PASSWORD));
    const revoked = await revokedAccessToken(portal.url, ADMIN_EMAIL, ADMIN_PASSWORD);
    const keys = await several(CONNECTIONS, () => apiKey(portal.url, tokens[0]!));
    return { tokens, cookies, revoked, keys };
  };
  const [floor, { tokens, cookies, revoked, keys }] = await all([
    started(startFloor(data.databaseUrl, portal.jwtSecret)),
    signIns(),
  ]);
  const me = `${portal.url}/api/trpc/auth.me`;
  const bearers = tokens.map((token) => ({ authorization: `Bearer ${token}` }));
  const targets: Record<P1Key, Target> = {
    floor: { url: `${floor.url}/auth.me`, connectionHeaders: bearers },
    bearer: { url: me, connectionHeaders: bearers },
    cookie: { url: me, connectionHeaders: cookies.map((cookie) => ({ cookie })) },
    apiKey: { url: me, connectionHeaders: keys.map((key) => ({ authorization: `Bearer ${key}` })) },
  };
  for (const [name, target] of Object.entries(targets)) {
    for (const headers of target.connectionHeaders!)
      await expectSignedIn(`${provider} ${name}`, { ...target, headers });
  }
  const signedOut = { authorization: `Bearer ${revoked}` };
  await expectRefused(`${provider} floor, signed-out session`, { url: targets.floor.url, headers: signedOut });
  await expectRefused(`${provider} bearer, signed-out session`, { url: me, headers: signedOut });
  await expectRefused(`${provider} cookie, forged`, { url: me, headers: { cookie: "next-auth.session-token=forged" } });
  await expectRefused(`${provider} API key, unknown`, {
    url: me,
    headers: { authorization: `Bearer mk_${"0".repeat(43)}` },
  });
  return { provider, portal, floor, databaseUrl: data.databaseUrl, targets, data };
}

/**
 * P5 on one database: two portals of the same build started side by side on the P1 stand's
 * database, of the same age and warmed alike, one as operated (request logs at info, written to
 * a file as a log shipper reads them; metrics counted, METRICS_TOKEN set) and one without
 * (LOG_LEVEL=silent, no metrics), with the same sessions.
 *
 * Each round loads both at once, each with its own 16 connections, while both are bound to the
 * same CPU (CPU 0; the load generator, this process, to the others): the kernel shares that core
 * evenly between the two saturated processes, so the ratio of their req/s is the ratio of what a
 * request costs each. Whatever slows the machine meanwhile slows both alike; measured one after
 * the other instead, this shared machine moved a portal's req/s by more than the few percent P5
 * compares.
 */
async function measureOpsCost({ provider, targets, data }: Stand) {
  const [operated, quiet] = await all([
    started(startPortal(data, { METRICS_TOKEN })),
    started(startPortal(data, { LOG_LEVEL: "silent", METRICS_TOKEN: "" })),
  ]);
  const cores = availableParallelism();
  const pinned =
    cores >= 2 && pinToCpus(operated.pid, "0") && pinToCpus(quiet.pid, "0") && pinToCpus(process.pid, `1-${cores - 1}`);
  log(
    pinned
      ? `P5 ${provider}: both portals bound to CPU 0, the load generator to CPUs 1-${cores - 1}`
      : `P5 ${provider}: portals and load generator unbound (${cores} CPU(s), or taskset refused)`,
  );
  try {
    const bearer = (server: Server): Target => ({ ...targets.bearer, url: `${server.url}/api/trpc/auth.me` });
    const [observed, silent] = [bearer(operated), bearer(quiet)];
    for (const [name, target] of [
      ["operated", observed],
      ["quiet", silent],
    ] as const) {
      for (const headers of target.connectionHeaders!)
        await expectSignedIn(`${provider} ${name} bearer`, { ...target, headers });
    }
    /** Both portals loaded at once. */
    const both = (label: string, seconds = plan.seconds, rampSeconds = plan.rampSeconds) =>
      all([
        throughput(`${provider} ${label} operated`, observed, { connections: CONNECTIONS, seconds, rampSeconds }),
        throughput(`${provider} ${label} quiet`, silent, { connections: CONNECTIONS, seconds, rampSeconds }),
      ]);
    await both("warm-up", 2 * plan.warmSeconds, 0);
    let measuredRequests = 0;
    const measured: { value: number; baseline: number }[] = [];
    for (let round = 1; round <= plan.opsRounds; round++) {
      const [withOps, without] = await both("round");
      measuredRequests += withOps.requests;
      rounds.push({ phase: `P5 ${provider}`, target: "logs and metrics", round, ...withOps });
      rounds.push({ phase: `P5 ${provider}`, target: "no logs or metrics", round, ...without });
      measured.push({ value: withOps.rps, baseline: without.rps });
      log(
        `P5 ${provider} round ${round}, at once: with logs and metrics ${withOps.rps.toFixed(0)} req/s, without ${without.rps.toFixed(0)} req/s (${(withOps.rps / without.rps).toFixed(3)})`,
      );
    }
    // Logging really was on: every request measured left its line in the operated portal's log.
    await expectRequestLines(`P5 ${provider} operated portal`, operated, measuredRequests);
    addGoal({
      ...p5Goal(provider),
      measured: median(measured.map((entry) => entry.value)),
      baseline: median(measured.map((entry) => entry.baseline)),
      baselineName: "no logs/metrics",
      ratio: median(measured.map((entry) => entry.value / entry.baseline)),
    });
  } finally {
    if (pinned) pinToCpus(process.pid, `0-${cores - 1}`);
    await all([operated.stop(), quiet.stop()]);
  }
}

/** Waits (5 s at most) until `server`'s log holds at least `count` request lines: its log is flushed within 200 ms. */
async function expectRequestLines(name: string, server: Server, count: number) {
  const linesLogged = () => readFileSync(server.logFile, "utf8").split('"msg":"request"').length - 1;
  const deadline = Date.now() + 5000;
  let logged = linesLogged();
  while (logged < count && Date.now() < deadline) {
    await new Promise((done) => setTimeout(done, 100));
    logged = linesLogged();
  }
  if (logged < count) throw new LoadFailure(`${name}: ${logged} request lines logged for ${count} requests answered`);
}

/** P1 (and the portal's RSS for P4) on one database: floor and portal rounds alternate. */
async function measureP1({ provider, portal, floor, targets }: Stand) {
  const portalRss = sampleRss(portal.pid);
  const floorRss = sampleRss(floor.pid);
  // Warm-ups (JIT, lazily loaded routes, connection pools) count for nothing, so they run together.
  await all(
    Object.entries(targets).map(([name, target]) =>
      throughput(`${provider} warm-up ${name}`, target, {
        connections: CONNECTIONS,
        seconds: plan.warmSeconds,
        rampSeconds: 0,
      }),
    ),
  );
  const jobs = Array.from({ length: plan.rounds }, (_, index) =>
    p1Paths.map((path) => ({ round: index + 1, path })),
  ).flat();
  const loadRound = (name: P1Key) =>
    throughput(`${provider} ${name}`, targets[name], {
      connections: CONNECTIONS,
      seconds: plan.seconds,
      rampSeconds: plan.rampSeconds,
    });
  const measured = await bracketed(
    async () => {
      const floorRound = await loadRound("floor");
      rounds.push({ phase: `P1 ${provider}`, target: "floor", ...floorRound });
      return floorRound.rps;
    },
    jobs.map(({ round, path }) => async () => {
      const portalRound = await loadRound(path.key);
      rounds.push({ phase: `P1 ${provider}`, target: path.key, round, ...portalRound });
      return portalRound.rps;
    }),
    ({ before, value, after }, index) =>
      log(
        `P1 ${provider} round ${jobs[index]!.round}: floor ${before.toFixed(0)} req/s, ${jobs[index]!.path.key} ${value.toFixed(0)} req/s, floor ${after.toFixed(0)} req/s`,
      ),
  );
  for (const path of p1Paths) {
    const mine = measured.filter((_, index) => jobs[index]!.path === path);
    addGoal({
      ...p1Goal(provider, path),
      measured: median(mine.map((entry) => entry.value)),
      baseline: median(mine.map(baselineOf)),
      baselineName: "floor",
      ratio: median(mine.map((entry) => entry.value / baselineOf(entry))),
    });
  }
  const [portalPeak, floorPeak] = [portalRss.stop(), floorRss.stop()];
  addGoal({
    ...serverRssGoal(provider),
    measured: portalPeak.peak / MB,
    baseline: floorPeak.peak / MB,
    baselineName: "floor",
    ratio: null,
  });
}

/** P2 and P3: the hashing limit with the idle probe, and the storm with the probe, alternate. */
async function measureStorm(portal: Server) {
  const hash = await bcrypt.hash(ADMIN_PASSWORD, 12);
  // A storm of people signing in: one account per connection, since an account's own budget
  // refuses more concurrent attempts than its failure limit.
  const accounts = await stormAccounts(portal.url, STORM, ADMIN_PASSWORD);
  const login: Target = {
    url: `${portal.url}/api/trpc/auth.login`,
    method: "POST",
    bodies: accounts.map((email) => trpcBody({ email, password: ADMIN_PASSWORD })),
  };
  const status: Target = { url: `${portal.url}/api/trpc/auth.status` };
  await probe("warm-up auth.status", status, { seconds: plan.warmSeconds, perSecond: PROBE_RATE });
  const quiet = async () => {
    const limit = await bcryptComparesPerSecond(ADMIN_PASSWORD, hash, plan.hashSeconds);
    const idle = await probe("idle auth.status", status, { seconds: probeSeconds, perSecond: PROBE_RATE });
    rounds.push(
      { phase: "P2", target: "hashing limit", comparesPerSecond: limit },
      { phase: "P3", target: "auth.status idle", ...idle },
    );
    return { limit, idle: idle.p99 };
  };
  const stormRound = (round: number) => async () => {
    const running = storm("auth.login storm", login, {
      connections: STORM,
      warmSeconds: plan.stormWarmSeconds,
      seconds: plan.stormSeconds,
      minimum: STORM_MINIMUM,
      timeoutSeconds: 120,
    });
    // The probe runs inside the storm's measured window: a probe a second shorter than the storm
    // ends before the storm does, since autocannon ends a run on its next one-second tick.
    await new Promise((done) => setTimeout(done, plan.stormWarmSeconds * 1000));
    const during = await probe("auth.status during the storm", status, {
      seconds: probeSeconds,
      perSecond: PROBE_RATE,
    });
    const stormed = await running;
    // The storm's last sign-ins are still being hashed when its clients stop. One more sign-in per
    // hashing thread, queued behind them, answers once they are done: the next baseline then
    // measures an idle portal.
    await Promise.all(
      Array.from({ length: availableParallelism() }, async (_, index) => {
        const drained = await fetch(login.url, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: login.bodies![index % login.bodies!.length],
          signal: AbortSignal.timeout(120_000),
        });
        await drained.body?.cancel();
        if (!drained.ok) throw new LoadFailure(`a sign-in after the storm answered ${drained.status}`);
      }),
    );
    rounds.push(
      { phase: "P2", target: "auth.login storm", round, signInsPerSecond: stormed.rps, completed: stormed.completed },
      { phase: "P3", target: "auth.status during the storm", round, ...during },
    );
    return { signIns: stormed.rps, busy: during.p99 };
  };
  const measured = await bracketed(
    quiet,
    Array.from({ length: plan.rounds }, (_, index) => stormRound(index + 1)),
    ({ before, value, after }, index) =>
      log(
        `P2/P3 round ${index + 1}: hashing limit ${before.limit.toFixed(2)}/s, sign-ins ${value.signIns.toFixed(2)}/s, hashing limit ${after.limit.toFixed(2)}/s; ` +
          `auth.status p99 idle ${before.idle.toFixed(1)} ms, during ${value.busy.toFixed(1)} ms, idle ${after.idle.toFixed(1)} ms`,
      ),
  );
  const limit = (entry: (typeof measured)[number]) => (entry.before.limit + entry.after.limit) / 2;
  const idle = (entry: (typeof measured)[number]) => (entry.before.idle + entry.after.idle) / 2;
  addGoal({
    ...p2Goal,
    measured: median(measured.map((entry) => entry.value.signIns)),
    baseline: median(measured.map(limit)),
    baselineName: "hashing limit",
    ratio: median(measured.map((entry) => entry.value.signIns / limit(entry))),
  });
  addGoal({
    ...p3Goal,
    measured: median(measured.map((entry) => entry.value.busy)),
    baseline: median(measured.map(idle)),
    baselineName: "idle p99",
    ratio: median(measured.map((entry) => entry.value.busy / idle(entry))),
  });
}

/** S1: the dashboard's figures over a large database (seeded into the SQLite stand's database). */
async function measureInsight({ portal, targets, databaseUrl }: Stand) {
  const seeding = performance.now();
  await seedInsight(databaseUrl);
  log(
    `S1: seeded ${INSIGHT_USERS} users and ${INSIGHT_AUDIT_ENTRIES} audit entries in ${((performance.now() - seeding) / 1000).toFixed(1)} s`,
  );
  const token = targets.bearer.connectionHeaders![0]!.authorization!.slice("Bearer ".length);
  // The figures must be about the seeded database: a server answering less would be measured doing less.
  const check = await fetch(`${portal.url}/api/v1/admin/stats?days=365`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const stats = (await check.json()) as { totals?: { users?: number }; series?: { signIns: number }[] };
  const signIns = stats.series?.reduce((sum, day) => sum + day.signIns, 0) ?? 0;
  if (!check.ok || (stats.totals?.users ?? 0) < INSIGHT_USERS || signIns < INSIGHT_AUDIT_ENTRIES / 3) {
    throw new LoadFailure(`S1: admin.stats does not see the seeded data (status ${check.status})`);
  }
  await insightRound(portal.url, token, 2);
  const samples = args.quick ? 3 : 9;
  const measured: Awaited<ReturnType<typeof insightRound>>[] = [];
  for (let round = 1; round <= plan.rounds; round++) {
    const figures = await insightRound(portal.url, token, samples);
    measured.push(figures);
    rounds.push({ phase: "S1", target: "admin.stats", round, ...figures });
    log(
      `S1 round ${round}: auth.me ${figures.baseline.toFixed(1)} ms, admin.stats 30 days ${figures.stats30.toFixed(1)} ms, 365 days ${figures.stats365.toFixed(1)} ms`,
    );
  }
  for (const [key, days] of [
    ["stats30", 30],
    ["stats365", 365],
  ] as const) {
    addGoal({
      goal: `S1 admin.stats ${days} days, ${INSIGHT_AUDIT_ENTRIES / 1000}k audit, ${INSIGHT_USERS / 1000}k users, sqlite`,
      unit: "ms",
      measured: median(measured.map((round) => round[key])),
      baseline: median(measured.map((round) => round.baseline)),
      baselineName: "auth.me",
      ratio: median(measured.map((round) => round[key] / round.baseline)),
      target: { on: "measured", op: "<=", value: 200 },
    });
  }
}

/** The README's `pnpm start` with its own data directory, signed in with a bearer token. */
async function setUpReadme(): Promise<{ server: Server; target: Target }> {
  const data = temporaryData();
  cleanups.push(data.remove);
  const server = await started(startReadmeCommand(data));
  log(`pnpm start: ready at ${server.url} (pid ${server.pid}); signing in`);
  const token = await accessToken(server.url, ADMIN_EMAIL, ADMIN_PASSWORD);
  const target: Target = { url: `${server.url}/api/trpc/auth.me`, headers: { authorization: `Bearer ${token}` } };
  await expectSignedIn("pnpm start bearer", target);
  return { server, target };
}

/** P4: the process tree of the README's `pnpm start` under the P1 bearer load. */
async function measureReadmeTree({ server, target }: { server: Server; target: Target }) {
  const tree = sampleRss(server.pid, { tree: true });
  await throughput("pnpm start warm-up", target, {
    connections: CONNECTIONS,
    seconds: plan.warmSeconds,
    rampSeconds: 0,
  });
  const result = await throughput("pnpm start bearer", target, {
    connections: CONNECTIONS,
    seconds: plan.seconds,
    rampSeconds: plan.rampSeconds,
  });
  rounds.push({ phase: "P4 pnpm start", target: "bearer", round: 1, ...result });
  const peak = tree.stop();
  log(
    `P4 pnpm start: peak ${(peak.peak / MB).toFixed(0)} MB over ${peak.processes.length} processes: ${peak.processes
      .map((entry) => `${entry.command.split(" ").slice(0, 3).join(" ")} ${(entry.rss / MB).toFixed(0)} MB`)
      .join("; ")}`,
  );
  addGoal({
    goal: "P4 `pnpm start` process tree RSS",
    unit: "MB",
    measured: peak.peak / MB,
    baseline: null,
    baselineName: null,
    ratio: null,
    target: { on: "measured", op: "<=", value: 450 },
    note: `${peak.processes.length} processes`,
  });
}

async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: testPostgresUrl(), connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

const number = (value: number | null, unit: string) => {
  if (value === null) return "-";
  const digits = unit === "req/s" || unit === "MB" ? 0 : value < 10 ? 2 : 1;
  const figure = value.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
  return `${figure}${unit.startsWith("/") ? "" : " "}${unit}`;
};

function table(): string {
  const header = ["goal", "measured", "baseline", "ratio", "target", "status"];
  const lines = goals.map((goal) => [
    goal.goal,
    number(goal.measured, goal.unit),
    goal.baseline === null ? "-" : `${number(goal.baseline, goal.unit)} ${goal.baselineName}`,
    goal.ratio === null ? "-" : goal.ratio.toFixed(2),
    `${goal.target.on === "ratio" ? "ratio" : "measured"} ${goal.target.op === ">=" ? "≥" : "≤"} ${goal.target.value}${
      goal.target.on === "measured" ? ` ${goal.unit}` : ""
    }`,
    goal.status + (goal.note && goal.status === "not measured" ? `: ${goal.note}` : ""),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => line[column]!.length)));
  const format = (cells: string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column]!))
      .join("  ")
      .trimEnd();
  return [format(header), format(widths.map((width) => "-".repeat(width))), ...lines.map(format)].join("\n");
}

async function cleanUp() {
  for (const cleanup of cleanups.splice(0).reverse()) {
    try {
      await cleanup();
    } catch (error) {
      console.error(`bench: cleanup failed: ${String(error)}`);
    }
  }
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    console.error(`bench: ${signal}, stopping the servers`);
    void cleanUp().then(() => process.exit(130));
  });
}

// A stale build would be measured for code that has changed since, and `pnpm start` would rebuild
// it while the other portals start from it.
const build = buildState();
if (build !== "fresh") {
  console.error(
    build === "missing"
      ? "bench: the portal has no production build. Run `pnpm build` first."
      : "bench: the portal's production build is older than its sources. Run `pnpm build` first.",
  );
  process.exit(1);
}

console.info(
  `mastoc bench (${plan.mode}): ${availableParallelism()} cores (${cpus()[0]?.model.trim() ?? "unknown CPU"}), load average ${load.start
    .map((value) => value.toFixed(2))
    .join(" ")}; ${plan.rounds} round(s) of ${plan.seconds} s per target, ${CONNECTIONS} connections`,
);

let failure: unknown = null;
try {
  const postgresql = await postgresReachable();
  // The servers start together (their start-up is most of a quick run) and wait, idle, for their turn.
  log(`starting the portals (sqlite${postgresql ? ", postgresql" : ""}) and \`pnpm start\``);
  const [sqliteStand, postgresqlStand, readme] = await all([
    setUp("sqlite"),
    postgresql ? setUp("postgresql") : Promise.resolve(null),
    setUpReadme(),
  ]);
  await measureP1(sqliteStand);
  await sqliteStand.floor.stop();
  log("sqlite: what request logs and metrics cost");
  await measureOpsCost(sqliteStand);
  log("sqlite: sign-in storm");
  await measureStorm(sqliteStand.portal);
  log("sqlite: the dashboard's figures over a large database");
  await measureInsight(sqliteStand);
  await sqliteStand.portal.stop();
  if (postgresqlStand) {
    await measureP1(postgresqlStand);
    await postgresqlStand.floor.stop();
    await measureOpsCost(postgresqlStand);
    await postgresqlStand.portal.stop();
  } else {
    log(`postgresql: not measured, no server answers at ${testPostgresUrl()} (TEST_POSTGRES_URL)`);
    for (const path of p1Paths) notMeasured(p1Goal("postgresql", path), "PostgreSQL unreachable");
    notMeasured(serverRssGoal("postgresql"), "PostgreSQL unreachable");
    notMeasured(p5Goal("postgresql"), "PostgreSQL unreachable");
  }
  await measureReadmeTree(readme);
  await readme.server.stop();
} catch (error) {
  failure = error;
  console.error(serverLogTails());
} finally {
  await cleanUp();
}

load.end = loadavg();
const elapsedSeconds = (Date.now() - startedAt.getTime()) / 1000;
console.info(`\n${table()}`);
console.info(
  [
    "",
    `Medians of ${plan.rounds} round(s) (P5: ${plan.opsRounds}); ratio: the median over rounds of measured / the mean of the baselines measured just before and just after it (P5: / the baseline loaded at the same time).`,
    "floor: node:http + jose HS256 verify (key imported once) + one prepared statement (AuthSession ⨝ User) per request on the portal's database,",
    `with a session or API key per connection (${CONNECTIONS}), as for the portal;`,
    `hashing limit: bcryptjs cost-12 compares/s on ${availableParallelism()} worker threads; idle p99: auth.status without the storm;`,
    "RSS: peak VmRSS; for `pnpm start`, the sum over every process it leaves running.",
    ...(args.quick
      ? [
          "--quick is a smoke run of the bench itself: one short round per goal, too short for the storm to settle; the goals are judged on a full run.",
        ]
      : []),
    `${elapsedSeconds.toFixed(0)} s; load average ${load.start.map((value) => value.toFixed(2)).join(" ")} at the start, ` +
      `${load.end.map((value) => value.toFixed(2)).join(" ")} at the end.`,
  ].join("\n"),
);

// A relative --json is relative to the directory pnpm was started from, not to apps/web.
const jsonPath = args.json
  ? resolve(process.env.INIT_CWD ?? process.cwd(), args.json)
  : join(mkdtempSync(join(tmpdir(), "mastoc-bench-results-")), "bench-results.json");
writeFileSync(
  jsonPath,
  JSON.stringify(
    {
      startedAt: startedAt.toISOString(),
      mode: plan.mode,
      plan: { ...plan, connections: CONNECTIONS, storm: STORM, probeRate: PROBE_RATE },
      machine: { cores: availableParallelism(), cpu: cpus()[0]?.model.trim() ?? null, node: process.version, load },
      elapsedSeconds,
      goals,
      rounds,
      failure: failure === null ? null : String(failure instanceof Error ? failure.message : failure),
    },
    null,
    2,
  ) + "\n",
);
console.info(`results: ${jsonPath}`);

if (failure !== null) {
  console.error(`\nbench failed: ${failure instanceof Error ? failure.message : String(failure)}`);
  process.exit(1);
}
