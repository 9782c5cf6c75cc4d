// `pnpm bench:scale [--users N] [--provider sqlite|postgresql|both] [--samples K] [--keep]`
// `pnpm bench:scale --database URL [--samples K]`
//
// `--keep` leaves the seeded databases in place and prints where they are; `--database` measures
// such a database again (a PostgreSQL URL or a SQLite file), without seeding: a million accounts
// take minutes to seed on SQLite and half an hour on PostgreSQL.
//
// What the administrators' reads cost at size: seeds N accounts (default 100,000) and 10 × N audit
// entries over a year straight into a fresh database of each provider (scale-seed.ts), then calls
// the API's procedures in-process as an administrator (tRPC's caller: the procedures, middleware,
// validation and database work of a request, without HTTP), K times each (default 25), and prints
// medians and p99s. Then it streams the full audit export (CSV) into a counting sink and reports
// its rate and the memory it held, while an anonymous `auth.status` is called every 10 ms in the
// same process: better-sqlite3 runs statements on the event loop's thread, so the worst latency of
// that cheap call is what any other request would have waited.
import { performance } from "node:perf_hooks";
import { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";
import { createCaller, createContext, getConfig, openAuditExport, type Context } from "@mastoc/api";
import { createDatabase, type DatabaseConfig, type Db } from "@mastoc/db";
import { migrate } from "@mastoc/db/migrate";
import { createScratchDatabase } from "@mastoc/db/testing";
import { SEARCH_FEW, SEARCH_NONE, seedScale } from "./scale-seed";

const { values: args } = parseArgs({
  options: {
    users: { type: "string", default: "100000" },
    provider: { type: "string", default: "both" },
    samples: { type: "string", default: "25" },
    keep: { type: "boolean", default: false },
    database: { type: "string" },
  },
});
/** The already seeded database to measure, when `--database` names one. */
const reused: DatabaseConfig | null = args.database
  ? { provider: /^postgres(ql)?:\/\//.test(args.database) ? "postgresql" : "sqlite", url: args.database }
  : null;
const users = Number(args.users);
const samples = Number(args.samples);
if (!Number.isInteger(users) || users < 1000) throw new Error("--users must be a whole number, at least 1000");
if (!Number.isInteger(samples) || samples < 1) throw new Error("--samples must be a whole number, at least 1");
const providers = (
  reused ? [reused.provider] : args.provider === "both" ? ["sqlite", "postgresql"] : [args.provider]
) as DatabaseConfig["provider"][];
if (!providers.every((provider) => provider === "sqlite" || provider === "postgresql")) {
  throw new Error("--provider must be sqlite, postgresql or both");
}

type Figures = { median: number; p99: number };
type Result = {
  calls: Map<string, Figures>;
  exportRate: number;
  exportEntries: number;
  /** The heap's highest point during the export above where it started (garbage not yet collected included). */
  exportHeapGrowthMb: number;
  /** The heap after the export above where it started, both after a full collection. */
  exportHeapRetainedMb: number;
  probeWorst: number;
  probeP99: number;
  seedSeconds: number;
  /** The accounts in the database measured. */
  accounts: number;
};

const percentile = (values: number[], share: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)]!;
};

async function adminContext(db: Db): Promise<Context> {
  const admin = await db.user.upsert({
    where: { email: "scale-admin@example.com" },
    create: { email: "scale-admin@example.com", username: "scaleadmin", role: "ADMIN", emailVerified: new Date() },
    update: {},
    select: { id: true, sessionVersion: true },
  });
  const session = await db.authSession.create({
    data: { userId: admin.id, kind: "web", expiresAt: new Date(Date.now() + 24 * 3600 * 1000) },
    select: { id: true },
  });
  return createContext({
    db,
    config: getConfig(),
    webSession: { sid: session.id, sub: admin.id, sv: admin.sessionVersion },
    meta: { ip: "203.0.113.1", userAgent: "bench" },
  });
}

/** The entry halfway down the trail (newest first): where a deep page of the audit list starts. */
async function middleEntry(db: Db): Promise<string> {
  const total = await db.auditLog.count();
  const [row] = await db.$queryRaw<{ id: string }[]>`
    SELECT "id" FROM "AuditLog" ORDER BY "createdAt" DESC, "id" DESC LIMIT 1 OFFSET ${Math.floor(total / 2)}`;
  return row!.id;
}

async function measure(provider: DatabaseConfig["provider"]): Promise<Result> {
  const scratch = reused ? { config: reused, drop: async () => {} } : await createScratchDatabase(provider);
  try {
    await migrate(scratch.config);
    const seedStarted = performance.now();
    if (!reused) {
      process.stderr.write(
        `${provider}: ${users.toLocaleString("en")} users, ${(users * 10).toLocaleString("en")} audit entries\n`,
      );
      await seedScale(scratch.config, users);
    }
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    const { db } = createDatabase(scratch.config);
    try {
      const context = await adminContext(db);
      const accounts = (await db.userTotals.findUniqueOrThrow({ where: { id: 1 } })).users;
      const caller = createCaller(context);
      const anonymous = createCaller(await createContext({ db, config: getConfig() }));
      const deep = await middleEntry(db);
      const calls: [string, () => Promise<unknown>][] = [
        ["users, search (few matches)", () => caller.admin.listUsers({ query: SEARCH_FEW })],
        ["users, search (no match)", () => caller.admin.listUsers({ query: SEARCH_NONE })],
        ["users, search (many matches)", () => caller.admin.listUsers({ query: "müller" })],
        ["users, page 1", () => caller.admin.listUsers({})],
        ["users, locked", () => caller.admin.listUsers({ locked: true })],
        [
          "users, unverified, sorted by email",
          () => caller.admin.listUsers({ verified: false, sort: "email", order: "asc" }),
        ],
        ["stats, 30 days", () => caller.admin.stats({ days: 30 })],
        ["stats, 365 days", () => caller.admin.stats({ days: 365 })],
        ["audit list, page 1", () => caller.audit.list({ limit: 50 })],
        ["audit list, page 1, action filter", () => caller.audit.list({ action: "auth.lockout", limit: 50 })],
        ["audit list, deep page (middle of the trail)", () => caller.audit.list({ cursor: deep, limit: 50 })],
        ["`auth.me`", () => caller.auth.me()],
      ];
      const timings = new Map<string, number[]>(calls.map(([name]) => [name, []]));
      for (const [, call] of calls) await call(); // warm the caches once
      // Interleaved, so that a change in the machine's load touches every call alike.
      for (let round = 0; round < samples; round++) {
        for (const [name, call] of calls) {
          const started = performance.now();
          await call();
          timings.get(name)!.push(performance.now() - started);
        }
      }
      const figures = new Map(
        [...timings].map(([name, values]) => [
          name,
          { median: percentile(values, 0.5), p99: percentile(values, 0.99) },
        ]),
      );

      // The full export, with a cheap request every 10 ms beside it.
      let lines = 0;
      let carry = "";
      const sink = new Writable({
        write(chunk: Buffer, _encoding, done) {
          const text = carry + chunk.toString("utf8");
          const parts = text.split("\r\n");
          carry = parts.pop()!;
          lines += parts.length;
          done();
        },
      });
      const probes: number[] = [];
      let exporting = true;
      const prober = (async () => {
        while (exporting) {
          const started = performance.now();
          await anonymous.auth.status();
          probes.push(performance.now() - started);
          await sleep(10);
        }
      })();
      global.gc?.();
      const heapBefore = process.memoryUsage().heapUsed;
      let heapPeak = heapBefore;
      const sampler = setInterval(() => (heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed)), 50);
      const started = performance.now();
      const exported = await openAuditExport(context, { format: "csv" });
      await pipeline(exported.body, sink);
      const seconds = (performance.now() - started) / 1000;
      exporting = false;
      clearInterval(sampler);
      await prober;
      global.gc?.();
      const heapAfter = process.memoryUsage().heapUsed;
      const entries = lines - 1; // the header
      return {
        calls: figures,
        exportRate: entries / seconds,
        exportEntries: entries,
        exportHeapGrowthMb: (heapPeak - heapBefore) / 2 ** 20,
        exportHeapRetainedMb: (heapAfter - heapBefore) / 2 ** 20,
        probeWorst: Math.max(...probes),
        probeP99: percentile(probes, 0.99),
        seedSeconds,
        accounts,
      };
    } finally {
      await db.$disconnect();
    }
  } finally {
    if (args.keep && !reused)
      process.stderr.write(`${provider}: kept the database for --database ${scratch.config.url}\n`);
    else await scratch.drop();
  }
}

const results = new Map<string, Result>();
for (const provider of providers) results.set(provider, await measure(provider));

const ms = (value: number) => (value < 10 ? value.toFixed(1) : Math.round(value).toLocaleString("en"));
const first = [...results.values()][0]!;
const names = first.calls.keys();
const columns = [...results.keys()];
const lines = [
  `Scale: ${first.accounts.toLocaleString("en")} users, ${first.exportEntries.toLocaleString("en")} audit entries; ${samples} calls each, median / p99 in ms`,
  "",
  `| call | ${columns.map((provider) => `${provider} median | p99`).join(" | ")} |`,
  `|---|${columns.map(() => "---:|---:").join("|")}|`,
  ...[...names].map(
    (name) =>
      `| ${name} | ${columns
        .map((provider) => {
          const figure = results.get(provider)!.calls.get(name)!;
          return `${ms(figure.median)} | ${ms(figure.p99)}`;
        })
        .join(" | ")} |`,
  ),
  `| audit export (CSV), entries/s | ${columns
    .map((provider) => `${Math.round(results.get(provider)!.exportRate).toLocaleString("en")} | –`)
    .join(" | ")} |`,
  `| \`auth.status\` during the export, worst / p99 | ${columns
    .map((provider) => `${ms(results.get(provider)!.probeWorst)} | ${ms(results.get(provider)!.probeP99)}`)
    .join(" | ")} |`,
  "",
  ...columns.map((provider) => {
    const result = results.get(provider)!;
    return `${provider}: exported ${result.exportEntries.toLocaleString("en")} entries; the heap peaked ${result.exportHeapGrowthMb.toFixed(1)} MB above its start during the export (garbage not yet collected included) and held ${result.exportHeapRetainedMb.toFixed(1)} MB more after it, once collected; ${reused ? "measured as found (--database)" : `seeding took ${Math.round(result.seedSeconds)} s`}`;
  }),
];
console.log(lines.join("\n"));
