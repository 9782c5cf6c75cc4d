// What keeps the administrators' reads flat at size, checked for exactness on each database: keyset
// pages of the audit trail, the indexed user search, and the roll-ups the dashboard reads (the
// daily audit counts, the account totals and the users by the day they were last active, kept by
// triggers). Both providers run the same
// expectations, so they must return the same results.
import { text } from "node:stream/consumers";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { foldForSearch, Prisma } from "@mastoc/db";
import { openAuditExport } from "../src/routers/audit";
import { recordAudit } from "../src/services/audit";
import { markActive } from "../src/services/sessions";
import { EXACT_TOTAL_LIMIT } from "../src/services/user-search";
import { callerFor, contextFor, createUser, signIn, unique, useTestDatabase } from "./support";

const t = useTestDatabase();
const DAY = 24 * 60 * 60 * 1000;

async function adminCaller() {
  const admin = await createUser(t.db, { role: "ADMIN" });
  return { admin, ...(await signIn(t.db, admin.email)) };
}

describe("audit keyset pages", () => {
  it("never skip or repeat an entry when entries share a timestamp, while new ones are written", async () => {
    const { caller, tokens } = await adminCaller();
    const targetId = unique("keyset");
    const base = Date.now() - 10 * DAY;
    // 150 entries on 15 instants: ten entries share each timestamp.
    await t.db.auditLog.createMany({
      data: Array.from({ length: 150 }, (_, index) => ({
        action: "keyset.test",
        targetType: "user",
        targetId,
        createdAt: new Date(base + Math.floor(index / 10) * 1000),
      })),
    });
    const expected = (
      await t.db.auditLog.findMany({
        where: { targetId },
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        select: { id: true },
      })
    ).map((row) => row.id);

    const seen: string[] = [];
    let cursor: string | null = null;
    let writes = 0;
    do {
      const page: { items: { id: string }[]; nextCursor: string | null } = await caller.audit.list({
        targetId,
        limit: 7,
        ...(cursor ? { cursor } : {}),
      });
      seen.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor;
      if (!cursor) break;
      // Entries written between pages: a new one (newer than the first page, so never reached) and
      // a late one, older than every entry so far (so still ahead of the walk, and reached).
      await Promise.all([
        recordAudit(t.db, { action: "keyset.test", targetType: "user", targetId }),
        t.db.auditLog.create({
          data: { action: "keyset.test", targetType: "user", targetId, createdAt: new Date(base - ++writes * 1000) },
        }),
      ]);
    } while (cursor);
    expect(writes).toBeGreaterThan(20);
    // The entries that existed when paging began, each once, in order, then the late ones.
    const lateIds = (
      await t.db.auditLog.findMany({
        where: { targetId, createdAt: { lt: new Date(base) } },
        orderBy: { createdAt: "desc" },
        select: { id: true },
      })
    ).map((row) => row.id);
    expect(seen).toEqual([...expected, ...lateIds]);
    expect(new Set(seen).size).toBe(seen.length);

    // The export walks the same keyset, in batches, and sees every entry once.
    const exported = await openAuditExport(await contextFor(t.db, { token: tokens.access_token }), {
      format: "ndjson",
      targetId,
    });
    const ids = (await text(exported.body))
      .trim()
      .split("\n")
      .map((line) => (JSON.parse(line) as { id: string }).id);
    const now = await t.db.auditLog.findMany({
      where: { targetId },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      select: { id: true },
    });
    expect(ids).toEqual(now.map((row) => row.id));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("an unknown cursor ends the listing", async () => {
    const { caller } = await adminCaller();
    expect(await caller.audit.list({ cursor: "no-such-entry" })).toEqual({ items: [], nextCursor: null });
  });

  it("filters by action prefix literally: % and _ are not wildcards", async () => {
    const { caller } = await adminCaller();
    const targetId = unique("prefix");
    await t.db.auditLog.createMany({
      data: ["lit%al.one", "litXal.two", "lit_al.three"].map((action) => ({ action, targetType: "user", targetId })),
    });
    const percent = await caller.audit.list({ targetId, action: "lit%" });
    expect(percent.items.map((item) => item.action)).toEqual(["lit%al.one"]);
    const underscore = await caller.audit.list({ targetId, action: "lit_" });
    expect(underscore.items.map((item) => item.action)).toEqual(["lit_al.three"]);
  });
});

describe("user search", () => {
  const people = [
    { name: "Élodie Müller", username: "elodie_crimps" },
    { name: "José García-Núñez", username: "josegn" },
    { name: "Zoë Lefèvre", username: "zoe_slab" },
    { name: "Björn Ødegaard Håkansson", username: "bjorn" },
    { name: "Chloé Dupré", username: "chloe42" },
    { name: "Ada Crimp", username: "ada" },
    { name: null, username: "noname" },
    { name: "François Çelik", username: "fcelik" },
  ];

  async function seedPeople() {
    const tag = unique("s").slice(1, 7);
    const created = [];
    for (const person of people) {
      created.push(
        await t.db.user.create({
          data: {
            email: `${person.username}.${tag}@mail-${tag}.example`,
            username: `${person.username}${tag}`,
            name: person.name,
          },
          select: { id: true, email: true, username: true, name: true },
        }),
      );
    }
    return { tag, created };
  }

  /** Who a search should find among `users`: any of the three fields contains the query, folded. */
  const oracle = (users: { id: string; email: string; username: string; name: string | null }[], query: string) =>
    users
      .filter((user) =>
        [user.email, user.username, user.name ?? ""].some((field) =>
          foldForSearch(field).includes(foldForSearch(query.trim())),
        ),
      )
      .map((user) => user.id)
      .sort();

  async function found(caller: Awaited<ReturnType<typeof adminCaller>>["caller"], query: string) {
    const page = await caller.admin.listUsers({ query, pageSize: 100 });
    expect(page.totalEstimated).toBe(false);
    expect(page.total).toBe(page.items.length);
    return page.items.map((user) => user.id).sort();
  }

  it("finds any substring of email, username or name, ignoring case and accents", async () => {
    const { caller } = await adminCaller();
    const { tag, created } = await seedPeople();
    const [elodie, jose, zoe, , chloe, , noname, francois] = created;
    const cases: [string, string[]][] = [
      ["elodie", [elodie!.id]],
      ["ÉLODIE MÜ", [elodie!.id]],
      ["odie mull", [elodie!.id]],
      ["garcia-nunez", [jose!.id]],
      ["NÚÑ", [jose!.id]],
      ["zoe lef", [zoe!.id]],
      ["lefevre", [zoe!.id]],
      ["chloe dupre", [chloe!.id]],
      ["francois cel", [francois!.id]],
      [`noname${tag}`, [noname!.id]],
      [`${tag}@mail-${tag}`.slice(0, 12), created.map((user) => user.id).sort()],
      [`slab${tag}`, [zoe!.id]],
      [`_crimps`, [elodie!.id]],
      ["qqqzzz", []],
      ["100%", []],
    ];
    for (const [query, ids] of cases) expect(await found(caller, query), query).toEqual([...ids].sort());
  });

  it("agrees with a plain substring test for any piece of any field (property)", async () => {
    const { caller } = await adminCaller();
    const { created } = await seedPeople();
    const everyone = await t.db.user.findMany({ select: { id: true, email: true, username: true, name: true } });
    const fields = created.flatMap((user) => [user.email, user.username, user.name ?? user.username]);
    const queries = fc
      .tuple(fc.constantFrom(...fields), fc.nat(), fc.integer({ min: 1, max: 8 }), fc.boolean())
      .map(([field, start, length, upper]) => {
        const chars = [...field];
        const from = start % chars.length;
        const piece = chars.slice(from, from + length).join("");
        return upper ? piece.toUpperCase() : foldForSearch(piece);
      })
      .filter((query) => query.trim().length > 0);
    await fc.assert(
      fc.asyncProperty(queries, async (query) => {
        expect(await found(caller, query)).toEqual(oracle(everyone, query));
      }),
      { numRuns: 40 },
    );
  });

  it("follows renames and deletions (the index is kept by the database)", async () => {
    const { caller } = await adminCaller();
    const { created } = await seedPeople();
    const ada = created[5]!;
    await caller.admin.updateUser({ id: ada.id, name: "Adélaïde Overhang" });
    expect(await found(caller, "adelaide over")).toEqual([ada.id]);
    expect(await found(caller, "ada crimp")).not.toContain(ada.id);
    await caller.admin.deleteUser({ id: ada.id });
    expect(await found(caller, "adelaide over")).toEqual([]);
  });

  it("combines the search with filters, and pages through the matches in order", async () => {
    const { caller } = await adminCaller();
    const { created } = await seedPeople();
    await t.db.user.update({ where: { id: created[1]!.id }, data: { lockedUntil: new Date(Date.now() + DAY) } });
    const locked = await caller.admin.listUsers({ query: "garcia", locked: true });
    expect(locked.items.map((user) => user.id)).toEqual([created[1]!.id]);
    expect(await caller.admin.listUsers({ query: "elodie", locked: true })).toMatchObject({ items: [], total: 0 });
    const tag = created[0]!.username.replace("elodie_crimps", "");
    const pages = [1, 2, 3].map((page) =>
      caller.admin.listUsers({ query: `mail-${tag}`, sort: "username", order: "asc", pageSize: 3, page }),
    );
    const items = (await Promise.all(pages)).flatMap((page) => page.items.map((user) => user.username));
    expect(items).toEqual(created.map((user) => user.username).sort());
  });

  it("answers an estimated total when more than the exact limit match, with the right first page", async () => {
    const { caller } = await adminCaller();
    const tag = unique("bulk").slice(4, 10);
    const now = Date.now();
    await t.db.user.createMany({
      data: Array.from({ length: EXACT_TOTAL_LIMIT + 50 }, (_, index) => ({
        email: `bulk${index}.${tag}@example.com`,
        username: `bulk${tag}${index}`,
        name: `Grimpeuse Têtue ${index}`,
        createdAt: new Date(now - index * 1000),
      })),
    });
    const page = await caller.admin.listUsers({ query: "grimpeuse tetue", pageSize: 5 });
    expect(page.totalEstimated).toBe(true);
    expect(page.total).toBeGreaterThan(EXACT_TOTAL_LIMIT);
    expect(page.items.map((user) => user.name)).toEqual([0, 1, 2, 3, 4].map((index) => `Grimpeuse Têtue ${index}`));
    // A narrower filter on top of it is small again, and exact.
    await t.db.user.updateMany({
      where: { username: { in: [`bulk${tag}7`, `bulk${tag}9`] } },
      data: { isActive: false },
    });
    const narrow = await caller.admin.listUsers({ query: "grimpeuse tetue", active: false });
    expect(narrow).toMatchObject({ total: 2, totalEstimated: false });
    // Without any filter the total is the exact count the database keeps.
    const all = await caller.admin.listUsers({});
    expect(all).toMatchObject({ total: await t.db.user.count(), totalEstimated: false });
    await t.db.user.deleteMany({ where: { username: { startsWith: `bulk${tag}` } } });
  });

  it("estimates a search matching far more than the exact limit within a third of the true count", async () => {
    const { caller } = await adminCaller();
    const tag = unique("wide").slice(4, 10);
    // Five matching accounts in six, in order of creation as in their list.
    const accounts = 6 * 4_200;
    const matches = (index: number) => index % 6 !== 5;
    const matching = Array.from({ length: accounts }, (_, index) => index).filter(matches).length;
    expect(matching).toBeGreaterThan(2 * EXACT_TOTAL_LIMIT);
    await t.db.user.createMany({
      data: Array.from({ length: accounts }, (_, index) => ({
        email: `wide${index}.${tag}@example.com`,
        username: `wide${tag}${index}`,
        name: matches(index) ? `Dévers Fuyant ${index}` : `Dalle ${index}`,
        createdAt: new Date(Date.UTC(2026, 0, 1) + index * 1000),
      })),
    });
    // The statistics a production database keeps up to date by itself (autovacuum).
    await t.db.$executeRawUnsafe("ANALYZE");
    const page = await caller.admin.listUsers({ query: "devers fuyant", pageSize: 3 });
    expect(page.totalEstimated).toBe(true);
    expect(Math.abs(page.total - matching) / matching).toBeLessThan(1 / 3);
    expect(page.items.map((user) => user.name)).toEqual(
      [accounts - 2, accounts - 3, accounts - 4].map((index) => `Dévers Fuyant ${index}`),
    );
    await t.db.user.deleteMany({ where: { username: { startsWith: `wide${tag}` } } });
  });
});

describe("roll-ups", () => {
  /** The roll-up compared with a direct count of the trail, per UTC day and action. */
  async function expectRollUpExact() {
    const direct = await t.db.$queryRaw<{ day: string; action: string; count: number | bigint }[]>(
      t.db.$provider === "postgresql"
        ? Prisma.sql`SELECT to_char("createdAt", 'YYYY-MM-DD') AS "day", "action", COUNT(*) AS "count" FROM "AuditLog" GROUP BY 1, 2`
        : Prisma.sql`SELECT substr("createdAt", 1, 10) AS "day", "action", COUNT(*) AS "count" FROM "AuditLog" GROUP BY 1, 2`,
    );
    const rolled = await t.db.auditDailyCount.findMany({ where: { count: { not: 0 } } });
    const key = (row: { day: string; action: string; count: number | bigint }) =>
      `${row.day} ${row.action} ${Number(row.count)}`;
    expect(rolled.map(key).sort()).toEqual(direct.map(key).sort());
  }

  /** `UserActiveDay` compared with a direct count of the users by the UTC day they were last active. */
  async function expectActiveDaysExact() {
    const direct = await t.db.$queryRaw<{ day: string; users: number | bigint }[]>(
      t.db.$provider === "postgresql"
        ? Prisma.sql`SELECT to_char("lastActiveAt", 'YYYY-MM-DD') AS "day", COUNT(*) AS "users" FROM "User"
            WHERE "lastActiveAt" IS NOT NULL GROUP BY 1`
        : Prisma.sql`SELECT substr("lastActiveAt", 1, 10) AS "day", COUNT(*) AS "users" FROM "User"
            WHERE "lastActiveAt" IS NOT NULL GROUP BY 1`,
    );
    const rolled = await t.db.userActiveDay.findMany({ where: { users: { not: 0 } } });
    const key = (row: { day: string; users: number | bigint }) => `${row.day} ${Number(row.users)}`;
    expect(rolled.map(key).sort()).toEqual(direct.map(key).sort());
  }

  /**
   * The users active since `from` counted from what activity is: a sign-in, or the use of any of
   * their sessions, since then.
   */
  async function activeSince(from: Date) {
    return t.db.user.count({
      where: { OR: [{ lastLoginAt: { gte: from } }, { authSessions: { some: { lastUsedAt: { gte: from } } } }] },
    });
  }

  async function expectTotalsExact() {
    const [totals] = await t.db.userTotals.findMany();
    expect(totals).toEqual({
      id: 1,
      users: await t.db.user.count(),
      deactivated: await t.db.user.count({ where: { isActive: false } }),
      unverified: await t.db.user.count({ where: { emailVerified: null } }),
      withTwoFactor: await t.db.user.count({ where: { twoFactorEnabledAt: { not: null } } }),
    });
  }

  it("the daily audit counts agree with a direct count after concurrent writes", async () => {
    const { caller } = await adminCaller();
    const actions = ["auth.login.success", "auth.login.failure", "user.register", "auth.lockout"];
    await Promise.all(
      Array.from({ length: 60 }, (_, index) => recordAudit(t.db, { action: actions[index % actions.length]! })),
    );
    await expectRollUpExact();
    // The dashboard reads the roll-up: today's figure is the direct count of today's entries.
    const today = new Date().toISOString().slice(0, 10);
    const stats = await caller.admin.stats({ days: 7 });
    const start = new Date(`${today}T00:00:00.000Z`);
    const direct = await t.db.auditLog.count({ where: { action: "auth.lockout", createdAt: { gte: start } } });
    expect(stats.series.find((day) => day.date === today)?.lockouts).toBe(direct);
  });

  it("puts entries on their UTC day across a day boundary, and follows deletions of entries", async () => {
    const { caller } = await adminCaller();
    const today = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate());
    const before = await caller.admin.stats({ days: 2 });
    await t.db.auditLog.createMany({
      data: [
        { action: "auth.lockout", createdAt: new Date(today - 1) },
        { action: "auth.lockout", createdAt: new Date(today - 1) },
        { action: "auth.lockout", createdAt: new Date(today) },
      ],
    });
    const after = await caller.admin.stats({ days: 2 });
    const lockouts = (stats: typeof before, index: number) => stats.series[index]!.lockouts;
    expect(lockouts(after, 0) - lockouts(before, 0)).toBe(2);
    expect(lockouts(after, 1) - lockouts(before, 1)).toBe(1);
    await expectRollUpExact();
    await t.db.auditLog.deleteMany({ where: { action: "auth.lockout", createdAt: new Date(today - 1) } });
    await expectRollUpExact();
  });

  it("the active users agree with sign-ins and session use, after concurrent activity, across a day boundary and after deletions", async () => {
    const { caller } = await adminCaller();
    const today = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate());
    const users = await Promise.all(Array.from({ length: 10 }, () => createUser(t.db)));
    // Everyone was last active 40 days ago: signed in then, with a session last used then.
    const longAgo = new Date(today - 40 * DAY);
    const sessions = new Map<string, string>();
    for (const user of users) {
      const { tokens } = await signIn(t.db, user.email);
      const [session] = await t.db.authSession.findMany({ where: { userId: user.id }, select: { id: true } });
      sessions.set(user.id, tokens.access_token);
      await t.db.authSession.update({ where: { id: session!.id }, data: { lastUsedAt: longAgo } });
      await t.db.user.update({ where: { id: user.id }, data: { lastLoginAt: longAgo } });
      await t.db.$executeRaw`UPDATE "User" SET "lastActiveAt" = ${longAgo} WHERE "id" = ${user.id}`;
    }
    await expectActiveDaysExact();
    const stats = (days: number) => caller.admin.stats({ days }).then((result) => result.totals.activeUsers);
    const month = new Date(today - 29 * DAY);
    expect(await stats(30)).toBe(await activeSince(month));

    // At once: two sign-ins of each of three users, the sessions of three others used (each twice),
    // the last four left alone.
    await Promise.all([
      ...users.slice(0, 3).flatMap((user) => [signIn(t.db, user.email), signIn(t.db, user.email)]),
      ...users
        .slice(3, 6)
        .flatMap((user) => [
          callerFor(t.db, { token: sessions.get(user.id) }).then((user) => user.auth.me()),
          callerFor(t.db, { token: sessions.get(user.id) }).then((user) => user.auth.me()),
        ]),
    ]);
    await expectActiveDaysExact();
    expect(await stats(30)).toBe(await activeSince(month));
    const active = await t.db.user.count({
      where: { id: { in: users.map((user) => user.id) }, lastActiveAt: { gte: month } },
    });
    expect(active).toBe(6);

    // Across midnight: the last moment of yesterday counts for two days, not for today alone; a
    // use at midnight moves the user onto today.
    const beforeMidnight = await Promise.all([stats(1), stats(2)]);
    await markActive(t.db, users[6]!.id, new Date(today - 1));
    const lastEvening = await Promise.all([stats(1), stats(2)]);
    expect(lastEvening).toEqual([beforeMidnight[0], beforeMidnight[1]! + 1]);
    await markActive(t.db, users[6]!.id, new Date(today));
    expect(await Promise.all([stats(1), stats(2)])).toEqual([beforeMidnight[0]! + 1, beforeMidnight[1]! + 1]);
    // Never back: an earlier time written late (another instance's clock) changes nothing.
    await markActive(t.db, users[6]!.id, new Date(today - 1));
    expect(await stats(1)).toBe(beforeMidnight[0]! + 1);
    await expectActiveDaysExact();

    // Deletions, one at a time and several at once, of active and inactive users.
    await Promise.all([
      caller.admin.deleteUser({ id: users[0]!.id }),
      caller.admin.deleteUser({ id: users[7]!.id }),
      t.db.user.deleteMany({ where: { id: { in: [users[3]!.id, users[6]!.id, users[8]!.id] } } }),
    ]);
    await expectActiveDaysExact();
    expect(await stats(30)).toBe(await activeSince(month));
    expect(await stats(365)).toBe(await activeSince(new Date(today - 364 * DAY)));
  });

  it("the account totals agree with direct counts after concurrent changes and deletions of users", async () => {
    const { caller } = await adminCaller();
    const users = await Promise.all(Array.from({ length: 12 }, () => createUser(t.db)));
    await expectTotalsExact();
    await Promise.all([
      ...users.slice(0, 3).map((user) => caller.admin.deactivate({ id: user.id })),
      ...users.slice(3, 6).map((user) => t.db.user.update({ where: { id: user.id }, data: { emailVerified: null } })),
      ...users
        .slice(6, 8)
        .map((user) => t.db.user.update({ where: { id: user.id }, data: { twoFactorEnabledAt: new Date() } })),
    ]);
    await expectTotalsExact();
    await Promise.all([
      caller.admin.deleteUser({ id: users[0]!.id }),
      caller.admin.deleteUser({ id: users[3]!.id }),
      t.db.user.delete({ where: { id: users[6]!.id } }),
      t.db.user.deleteMany({ where: { id: { in: [users[9]!.id, users[10]!.id] } } }),
    ]);
    await expectTotalsExact();
    const stats = await caller.admin.stats({ days: 30 });
    expect(stats.totals).toMatchObject({
      users: await t.db.user.count(),
      deactivatedUsers: await t.db.user.count({ where: { isActive: false } }),
      unverifiedEmails: await t.db.user.count({ where: { emailVerified: null } }),
      withTwoFactor: await t.db.user.count({ where: { twoFactorEnabledAt: { not: null } } }),
    });
  });
});
