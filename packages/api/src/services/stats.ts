// Security and catalogue figures for the dashboards, computed in the database: one scan of the
// users for the totals, and grouped counts of the audit trail per UTC day (index
// AuditLog(action, createdAt)). Nothing is loaded row by row into JavaScript.
import { Prisma, providerOf, type Db } from "@mastoc/db";

const DAY_MS = 24 * 60 * 60 * 1000;

/** The failed sign-ins: a wrong password (or unknown account), and a wrong second-factor code. */
export const FAILED_SIGN_IN_ACTIONS = ["auth.login.failure", "auth.mfa.failure"];

/** Which audit actions each security series counts. */
export const securitySeriesActions = {
  signIns: ["auth.login.success"],
  failedSignIns: FAILED_SIGN_IN_ACTIONS,
  lockouts: ["auth.lockout"],
  registrations: ["user.register"],
  passwordResets: ["auth.password_reset.confirm"],
} as const satisfies Record<string, readonly string[]>;

/** Which audit actions each catalogue series counts. */
export const climbSeriesActions = {
  created: ["climb.create"],
  updated: ["climb.update"],
  deleted: ["climb.delete"],
} as const satisfies Record<string, readonly string[]>;

type SeriesActions = Record<string, readonly string[]>;
export type DailyCounts<Names extends string> = { date: string } & Record<Names, number>;

/** The period of `days` UTC days ending today: from the start of the first day to `now`. */
export function statsPeriod(days: number, now = new Date()) {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return { from: new Date(today - (days - 1) * DAY_MS), to: now, days };
}

const dayKey = (time: number) => new Date(time).toISOString().slice(0, 10);

/**
 * Counts of the audit actions per series and UTC day since `from`, every day of the period
 * present (zero when nothing happened), oldest first.
 */
export async function dailySeries<Actions extends SeriesActions>(
  db: Db,
  actions: Actions,
  period: { from: Date; days: number },
): Promise<DailyCounts<Extract<keyof Actions, string>>[]> {
  const names = Object.keys(actions) as Extract<keyof Actions, string>[];
  const seriesOf = new Map(names.flatMap((name) => actions[name]!.map((action) => [action, name] as const)));
  // The day of a timestamp, in UTC: PostgreSQL stores timestamp(3) in UTC; Prisma writes SQLite
  // dates as ISO 8601 text in UTC, whose first ten characters are the day.
  const day =
    providerOf(db) === "postgresql"
      ? Prisma.sql`to_char("createdAt", 'YYYY-MM-DD')`
      : Prisma.sql`substr("createdAt", 1, 10)`;
  const rows = await db.$queryRaw<{ day: string; action: string; count: number | bigint }[]>`
    SELECT ${day} AS "day", "action", COUNT(*) AS "count"
    FROM "AuditLog"
    WHERE "action" IN (${Prisma.join([...seriesOf.keys()])}) AND "createdAt" >= ${period.from}
    GROUP BY ${day}, "action"`;

  const series = new Map<string, DailyCounts<Extract<keyof Actions, string>>>();
  for (let index = 0; index < period.days; index++) {
    const date = dayKey(period.from.getTime() + index * DAY_MS);
    series.set(date, { date, ...Object.fromEntries(names.map((name) => [name, 0])) } as DailyCounts<
      Extract<keyof Actions, string>
    >);
  }
  for (const row of rows) {
    const entry = series.get(row.day);
    const name = seriesOf.get(row.action);
    // A day after the period (a clock ahead of the database's) is left out rather than misplaced.
    if (entry && name) (entry as Record<string, number | string>)[name] = Number(entry[name]) + Number(row.count);
  }
  return [...series.values()];
}

/** The account totals: one pass over the users. */
async function accountTotals(db: Db, period: { from: Date }, now: Date) {
  const [row] = await db.$queryRaw<Record<string, number | bigint | null>[]>`
    SELECT
      COUNT(*) AS "users",
      SUM(CASE WHEN u."lastLoginAt" >= ${period.from} OR EXISTS (
        SELECT 1 FROM "AuthSession" s WHERE s."userId" = u."id" AND s."lastUsedAt" >= ${period.from}
      ) THEN 1 ELSE 0 END) AS "activeUsers",
      SUM(CASE WHEN u."isActive" THEN 0 ELSE 1 END) AS "deactivatedUsers",
      SUM(CASE WHEN u."lockedUntil" > ${now} THEN 1 ELSE 0 END) AS "lockedAccounts",
      SUM(CASE WHEN u."emailVerified" IS NULL THEN 1 ELSE 0 END) AS "unverifiedEmails",
      SUM(CASE WHEN u."twoFactorEnabledAt" IS NOT NULL THEN 1 ELSE 0 END) AS "withTwoFactor",
      SUM(CASE WHEN EXISTS (SELECT 1 FROM "Passkey" p WHERE p."userId" = u."id") THEN 1 ELSE 0 END) AS "withPasskey",
      SUM(CASE WHEN u."twoFactorEnabledAt" IS NOT NULL
        OR EXISTS (SELECT 1 FROM "Passkey" p WHERE p."userId" = u."id") THEN 1 ELSE 0 END) AS "withSecondFactor"
    FROM "User" u`;
  const value = (name: string) => Number(row?.[name] ?? 0);
  const users = value("users");
  const withSecondFactor = value("withSecondFactor");
  return {
    users,
    activeUsers: value("activeUsers"),
    deactivatedUsers: value("deactivatedUsers"),
    lockedAccounts: value("lockedAccounts"),
    unverifiedEmails: value("unverifiedEmails"),
    withTwoFactor: value("withTwoFactor"),
    withPasskey: value("withPasskey"),
    withSecondFactor,
    secondFactorShare: users === 0 ? 0 : Math.round((withSecondFactor / users) * 1000) / 1000,
  };
}

/** The addresses with the most failed sign-ins since `since`, most first (ties by address). */
async function topFailedAddresses(db: Db, since: Date) {
  const groups = await db.auditLog.groupBy({
    by: ["ip"],
    where: { action: { in: FAILED_SIGN_IN_ACTIONS }, createdAt: { gte: since }, ip: { not: null } },
    _count: { _all: true },
    _max: { createdAt: true },
    orderBy: [{ _count: { ip: "desc" } }, { ip: "asc" }],
    take: 10,
  });
  return groups.map((group) => ({
    ip: group.ip!,
    failures: group._count._all,
    lastAt: group._max.createdAt!,
  }));
}

/** What `admin.stats` answers: account totals, the daily security series and the top failing addresses. */
export async function securityStats(db: Db, days: number, now = new Date()) {
  const period = statsPeriod(days, now);
  const [totals, activeSessions, series, topAddresses] = await Promise.all([
    accountTotals(db, period, now),
    db.authSession.count({ where: { revokedAt: null, expiresAt: { gt: now } } }),
    dailySeries(db, securitySeriesActions, period),
    topFailedAddresses(db, new Date(now.getTime() - DAY_MS)),
  ]);
  return {
    days,
    from: period.from,
    to: period.to,
    totals: { ...totals, activeSessions },
    series,
    topFailedAddresses: topAddresses,
  };
}

/** What `climbs.stats` answers: the catalogue's size and its daily changes. */
export async function climbStats(db: Db, days: number, now = new Date()) {
  const period = statsPeriod(days, now);
  const [climbs, series] = await Promise.all([db.climb.count(), dailySeries(db, climbSeriesActions, period)]);
  const sum = (name: keyof typeof climbSeriesActions) => series.reduce((total, day) => total + day[name], 0);
  return {
    days,
    from: period.from,
    to: period.to,
    totals: { climbs, created: sum("created"), updated: sum("updated"), deleted: sum("deleted") },
    series,
  };
}
