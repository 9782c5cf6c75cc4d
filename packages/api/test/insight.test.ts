// Security insight on each database: the dashboard figures (admin.stats, climbs.stats) computed
// by grouped queries, a user's own security activity, the new-sign-in notice, and the audit
// export. Both providers run the same expectations, so they must agree to the count.
import { text } from "node:stream/consumers";
import { describe, expect, it } from "vitest";
import type { TRPCError } from "@trpc/server";
import { getConfig } from "../src/config";
import { errorDetails } from "../src/errors";
import { openAuditExport } from "../src/routers/audit";
import { recordSignInPlace, SIGN_IN_PLACE_MEMORY_DAYS } from "../src/services/sign-in-places";
import { createSession, markActive } from "../src/services/sessions";
import { statsPeriod } from "../src/services/stats";
import {
  callerFor,
  contextFor,
  createUser,
  mailTo,
  PASSWORD,
  rejection,
  signIn,
  unique,
  useTestDatabase,
} from "./support";

const t = useTestDatabase();
const DAY = 24 * 60 * 60 * 1000;

async function adminCaller() {
  const admin = await createUser(t.db, { role: "ADMIN" });
  return { admin, ...(await signIn(t.db, admin.email)) };
}

/** Audit entries written directly, at chosen times (as the services would have written them). */
async function seedAudit(entries: { action: string; at: Date; ip?: string; targetId?: string; actorId?: string }[]) {
  await t.db.auditLog.createMany({
    data: entries.map((entry) => ({
      action: entry.action,
      createdAt: entry.at,
      ip: entry.ip ?? null,
      targetType: "user",
      targetId: entry.targetId ?? null,
      actorId: entry.actorId ?? null,
    })),
  });
}

type Series = { date: string; [name: string]: number | string }[];
const countOn = (series: Series, date: string, name: string) => series.find((day) => day.date === date)?.[name];
const dateOf = (time: number) => new Date(time).toISOString().slice(0, 10);

describe("admin.stats", () => {
  it("counts each series per UTC day over the period, with every day present and the edges exact", async () => {
    const { caller } = await adminCaller();
    const now = Date.now();
    const { from } = statsPeriod(7, new Date(now));
    const before = await caller.admin.stats({ days: 7 });
    await seedAudit([
      { action: "auth.login.success", at: new Date(now - 1000) },
      { action: "auth.login.success", at: new Date(now - 2000) },
      { action: "auth.login.failure", at: new Date(now - 3000) },
      { action: "auth.mfa.failure", at: new Date(now - 4000) },
      { action: "auth.lockout", at: new Date(now - 5000) },
      // The first instant of the period counts; the last millisecond before it does not.
      { action: "user.register", at: from },
      { action: "user.register", at: new Date(from.getTime() - 1) },
      { action: "auth.password_reset.confirm", at: new Date(from.getTime() + DAY + 1) },
      // Actions outside the series are not counted.
      { action: "auth.logout", at: new Date(now - 1000) },
    ]);
    const after = await caller.admin.stats({ days: 7 });

    expect(after.days).toBe(7);
    expect(after.from).toEqual(from);
    expect(after.series).toHaveLength(7);
    expect(after.series.map((day) => day.date)).toEqual(
      Array.from({ length: 7 }, (_, index) => dateOf(from.getTime() + index * DAY)),
    );
    expect(after.series.at(-1)!.date).toBe(dateOf(now));
    const today = dateOf(now);
    const delta = (date: string, name: string) =>
      Number(countOn(after.series, date, name)) - Number(countOn(before.series, date, name));
    expect(delta(today, "signIns")).toBe(2);
    expect(delta(today, "failedSignIns")).toBe(2);
    expect(delta(today, "lockouts")).toBe(1);
    expect(delta(dateOf(from.getTime()), "registrations")).toBe(1);
    expect(delta(dateOf(from.getTime() + DAY), "passwordResets")).toBe(1);
    const total = (series: Series, name: string) => series.reduce((sum, day) => sum + Number(day[name]), 0);
    expect(total(after.series, "registrations") - total(before.series, "registrations")).toBe(1);
    for (const day of after.series) {
      for (const name of ["signIns", "failedSignIns", "lockouts", "registrations", "passwordResets"]) {
        expect(Number.isInteger(day[name as keyof typeof day])).toBe(true);
      }
    }
  });

  it("counts the account totals in the database", async () => {
    const { caller } = await adminCaller();
    const before = (await caller.admin.stats({})).totals;

    const locked = await createUser(t.db);
    await t.db.user.update({ where: { id: locked.id }, data: { lockedUntil: new Date(Date.now() + 600_000) } });
    const expiredLock = await createUser(t.db);
    await t.db.user.update({ where: { id: expiredLock.id }, data: { lockedUntil: new Date(Date.now() - 1000) } });
    const deactivated = await createUser(t.db, { isActive: false });
    const verified = await createUser(t.db);
    await t.db.user.update({ where: { id: verified.id }, data: { emailVerified: new Date() } });
    const withTotp = await createUser(t.db);
    await t.db.user.update({ where: { id: withTotp.id }, data: { twoFactorEnabledAt: new Date() } });
    const withBoth = await createUser(t.db);
    await t.db.user.update({ where: { id: withBoth.id }, data: { twoFactorEnabledAt: new Date() } });
    for (const [user, count] of [
      [withBoth, 1],
      [deactivated, 2],
    ] as const) {
      for (let index = 0; index < count; index++) {
        await t.db.passkey.create({
          data: {
            userId: user.id,
            credentialId: unique("credential"),
            publicKey: Buffer.from([1, 2, 3]),
            deviceType: "singleDevice",
            name: "Key",
          },
        });
      }
    }
    // Sessions: one live (opened as a sign-in opens it, which makes its user active), one
    // revoked, one expired.
    const sessionUser = await createUser(t.db);
    await createSession(t.db, getConfig(), sessionUser.id, "token", { ip: null, userAgent: null });
    const session = { userId: sessionUser.id, kind: "token" };
    await t.db.authSession.createMany({
      data: [
        { ...session, expiresAt: new Date(Date.now() + DAY), revokedAt: new Date() },
        { ...session, expiresAt: new Date(Date.now() - 1000), lastUsedAt: new Date(Date.now() - 40 * DAY) },
      ],
    });
    const longAgo = await createUser(t.db);
    await t.db.user.update({ where: { id: longAgo.id }, data: { lastLoginAt: new Date(Date.now() - 31 * DAY) } });
    await markActive(t.db, longAgo.id, new Date(Date.now() - 31 * DAY));

    const after = (await caller.admin.stats({})).totals;
    expect(after.users - before.users).toBe(8);
    expect(after.lockedAccounts - before.lockedAccounts).toBe(1);
    expect(after.deactivatedUsers - before.deactivatedUsers).toBe(1);
    expect(after.unverifiedEmails - before.unverifiedEmails).toBe(7);
    expect(after.withTwoFactor - before.withTwoFactor).toBe(2);
    expect(after.withPasskey - before.withPasskey).toBe(2);
    expect(after.withSecondFactor - before.withSecondFactor).toBe(3);
    expect(after.activeSessions - before.activeSessions).toBe(1);
    // Active in the period: the one whose session was opened now; not the one last seen 31 days ago.
    expect(after.activeUsers - before.activeUsers).toBe(1);
    expect(after.secondFactorShare).toBe(Math.round((after.withSecondFactor / after.users) * 1000) / 1000);
  });

  it("ranks the addresses with the most failed sign-ins in the last 24 hours", async () => {
    const { caller } = await adminCaller();
    const now = Date.now();
    const at = (ago: number) => new Date(now - ago);
    await seedAudit([
      ...Array.from({ length: 40 }, (_, index) => ({
        action: "auth.login.failure",
        at: at(index * 1000),
        ip: "198.51.100.7",
      })),
      ...Array.from({ length: 30 }, (_, index) => ({
        action: "auth.mfa.failure",
        at: at(index * 1000),
        ip: "198.51.100.8",
      })),
      ...Array.from({ length: 30 }, () => ({ action: "auth.login.failure", at: at(3600_000), ip: "198.51.100.9" })),
      // Older than 24 hours, and successes: not counted.
      ...Array.from({ length: 90 }, () => ({
        action: "auth.login.failure",
        at: at(DAY + 60_000),
        ip: "198.51.100.10",
      })),
      ...Array.from({ length: 90 }, () => ({ action: "auth.login.success", at: at(1000), ip: "198.51.100.11" })),
    ]);
    const { topFailedAddresses } = await caller.admin.stats({ days: 1 });
    expect(topFailedAddresses.length).toBeLessThanOrEqual(10);
    expect(topFailedAddresses.slice(0, 3)).toEqual([
      { ip: "198.51.100.7", failures: 40, lastAt: expect.any(Date) },
      { ip: "198.51.100.8", failures: 30, lastAt: expect.any(Date) },
      { ip: "198.51.100.9", failures: 30, lastAt: at(3600_000) },
    ]);
    expect(topFailedAddresses[0]!.lastAt.getTime()).toBe(now);
    expect(topFailedAddresses.map((entry) => entry.ip)).not.toContain("198.51.100.10");
    expect(topFailedAddresses.map((entry) => entry.ip)).not.toContain("198.51.100.11");
  });

  it("refuses a period outside 1–365 whole days, naming the field", async () => {
    const { caller } = await adminCaller();
    for (const days of [0, 366, 1.5, -3, Number.NaN]) {
      const error = await rejection(caller.admin.stats({ days }), "BAD_REQUEST");
      expect(Object.keys(errorDetails(error as TRPCError, { locale: "en" }).fieldErrors ?? {})).toEqual(["days"]);
    }
    await rejection(caller.admin.stats({ days: "30" as unknown as number }), "BAD_REQUEST");
    expect((await caller.admin.stats({ days: 365 })).series).toHaveLength(365);
    expect((await caller.admin.stats()).days).toBe(30);
  });

  it("is for administrators only; moderators get the catalogue's figures", async () => {
    const moderator = await createUser(t.db, { role: "MODERATOR" });
    const user = await createUser(t.db);
    const asModerator = (await signIn(t.db, moderator.email)).caller;
    await rejection(asModerator.admin.stats({}), "FORBIDDEN");
    await rejection((await signIn(t.db, user.email)).caller.admin.stats({}), "FORBIDDEN");
    await rejection((await signIn(t.db, user.email)).caller.climbs.stats({}), "FORBIDDEN");
    await rejection((await callerFor(t.db)).admin.stats({}), "UNAUTHORIZED");

    const before = await asModerator.climbs.stats({ days: 3 });
    const climb = await asModerator.climbs.create({ name: unique("Arete"), grade: "6a" });
    await asModerator.climbs.update({ id: climb.id, name: unique("Arete") });
    await asModerator.climbs.delete({ id: climb.id });
    await asModerator.climbs.create({ name: unique("Slab"), grade: "5c" });
    const after = await asModerator.climbs.stats({ days: 3 });
    expect(after.series).toHaveLength(3);
    expect(after.totals.climbs - before.totals.climbs).toBe(1);
    expect(after.totals.created - before.totals.created).toBe(2);
    expect(after.totals.updated - before.totals.updated).toBe(1);
    expect(after.totals.deleted - before.totals.deleted).toBe(1);
    expect(after.series.at(-1)!.created - before.series.at(-1)!.created).toBe(2);
  });
});

describe("admin.listUsers security filters (the dashboard's tiles)", () => {
  it("filters by verified email and by second factor, and combines them with a search and the lock filter", async () => {
    const { caller } = await adminCaller();
    const tag = unique("filter");
    const make = async (data: Record<string, unknown>) => {
      const user = await createUser(t.db, { email: `${tag}${unique()}@example.com` });
      await t.db.user.update({ where: { id: user.id }, data });
      return user.id;
    };
    const verified = await make({ emailVerified: new Date() });
    const totp = await make({ twoFactorEnabledAt: new Date() });
    const lockedPlain = await make({ lockedUntil: new Date(Date.now() + 600_000) });
    const withKey = await make({});
    await t.db.passkey.create({
      data: { userId: withKey, credentialId: unique("c"), publicKey: Buffer.from([1]), deviceType: "x", name: "k" },
    });
    const ids = async (filters: Record<string, unknown>) =>
      (await caller.admin.listUsers({ query: tag, pageSize: 100, ...filters })).items.map((user) => user.id).sort();
    expect(await ids({ verified: true })).toEqual([verified]);
    expect(await ids({ verified: false })).toEqual([totp, lockedPlain, withKey].sort());
    expect(await ids({ secondFactor: true })).toEqual([totp, withKey].sort());
    expect(await ids({ secondFactor: false })).toEqual([verified, lockedPlain].sort());
    // Two filters built on OR (the search and "not locked") both apply.
    expect(await ids({ locked: false })).toEqual([verified, totp, withKey].sort());
    expect(await ids({ locked: true, secondFactor: false })).toEqual([lockedPlain]);
  });
});

describe("users.securityActivity", () => {
  it("lists the caller's own security events, newest first, never another user's", async () => {
    const { caller: admin } = await adminCaller();
    const user = await createUser(t.db);
    const other = await createUser(t.db);
    const { caller } = await signIn(t.db, user.email, PASSWORD, { ip: "192.0.2.1", userAgent: "Firefox/140" });
    await signIn(t.db, other.email, PASSWORD, { ip: "192.0.2.99" });
    // Someone tries the user's account from elsewhere; an administrator unlocks it.
    await rejection(
      (await callerFor(t.db, { ip: "198.51.100.66" })).auth.login({ email: user.email, password: "wrong-password-1" }),
      "UNAUTHORIZED",
    );
    await admin.admin.unlock({ id: user.id });
    await caller.auth.changePassword({ currentPassword: PASSWORD, newPassword: "Bouldering-Sloper-Heelhook-77" });

    const events = await caller.users.securityActivity();
    expect(events.map((event) => event.action)).toEqual([
      "auth.password.change",
      "admin.user.unlock",
      "auth.login.failure",
      "auth.login.success",
    ]);
    const [change, unlock, failure, success] = events;
    expect(change!.description).toBe("Password changed");
    expect(unlock).toMatchObject({ byAdministrator: true, ip: null, userAgent: null });
    expect(failure).toMatchObject({ ip: "198.51.100.66", byAdministrator: false });
    expect(success).toMatchObject({
      ip: "192.0.2.1",
      userAgent: "Firefox/140",
      client: "token",
      method: "password",
      description: "Signed in",
    });
    expect(JSON.stringify(events)).not.toContain("192.0.2.99");
    expect(JSON.stringify(events)).not.toContain(other.id);

    // In the caller's language.
    const french = await signIn(t.db, user.email, "Bouldering-Sloper-Heelhook-77", {
      headers: { "accept-language": "fr-FR,fr" },
    });
    const inFrench = await french.caller.users.securityActivity();
    expect(inFrench.map((event) => event.description).slice(0, 2)).toEqual(["Connexion", "Mot de passe changé"]);
  });

  it("answers at most the last 30 events", async () => {
    const user = await createUser(t.db);
    const { caller } = await signIn(t.db, user.email);
    const start = Date.now() - 1000 * 60;
    await seedAudit(
      Array.from({ length: 40 }, (_, index) => ({
        action: "auth.login.failure",
        at: new Date(start + index * 1000),
        targetId: user.id,
        actorId: user.id,
      })),
    );
    const events = await caller.users.securityActivity();
    expect(events).toHaveLength(30);
    const times = events.map((event) => event.createdAt.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it("needs a signed-in caller", async () => {
    await rejection((await callerFor(t.db)).users.securityActivity(), "UNAUTHORIZED");
  });
});

describe("new-sign-in notice", () => {
  const subject = /New sign-in to your mastoc account/;

  it("mails a sign-in from a new address or client once, and not one from the place the account was made", async () => {
    const email = `${unique()}@example.com`;
    const home = { ip: "192.0.2.20", userAgent: "Firefox/140 (home)" };
    await (await callerFor(t.db, home)).auth.register({ email, username: unique(), password: PASSWORD });
    await signIn(t.db, email, PASSWORD, home);
    await signIn(t.db, email, PASSWORD, { ip: "198.51.100.30", userAgent: "curl/8" });
    const mail = await mailTo(email, subject);
    expect(mail).toContain("Address: 198.51.100.30");
    expect(mail).toContain("Client: curl 8 (");
    expect(mail).toContain("User agent: curl/8");
    expect(mail).toContain("Signed in with: Password");
    expect(mail).toMatch(/\/profile\/sessions/);
    // The same place again, then a second new place: only the new place is mailed.
    await signIn(t.db, email, PASSWORD, { ip: "198.51.100.30", userAgent: "curl/8" });
    await signIn(t.db, email, PASSWORD, { ip: "198.51.100.30", userAgent: "Safari/18" });
    const second = await mailTo(email, subject, { count: 2 });
    expect(second).toContain("User agent: Safari/18");
    await expect(mailTo(email, subject, { count: 3, timeoutMs: 300 })).rejects.toThrow(/no mail/);
  });

  it("decides a new place atomically: of concurrent sign-ins from one new place, exactly one is new", async () => {
    const user = await createUser(t.db);
    const meta = { ip: "203.0.113.77", userAgent: `race-${unique()}` };
    const now = new Date();
    const answers = await Promise.all(Array.from({ length: 8 }, () => recordSignInPlace(t.db, user.id, meta, now)));
    expect(answers.filter(Boolean)).toHaveLength(1);
    expect(await recordSignInPlace(t.db, user.id, meta, new Date())).toBe(false);
  });

  it("counts a place not seen for 90 days as new again", async () => {
    const user = await createUser(t.db);
    const meta = { ip: "203.0.113.78", userAgent: null };
    const long = SIGN_IN_PLACE_MEMORY_DAYS * DAY;
    expect(await recordSignInPlace(t.db, user.id, meta, new Date(Date.now() - long - DAY))).toBe(true);
    expect(await recordSignInPlace(t.db, user.id, meta, new Date(Date.now() - long + DAY))).toBe(false);
    // Seen 89 days ago (just refreshed): still known now; then forgotten 91 days later.
    expect(await recordSignInPlace(t.db, user.id, meta, new Date())).toBe(false);
    expect(await recordSignInPlace(t.db, user.id, meta, new Date(Date.now() + long + DAY))).toBe(true);
    const rows = await t.db.signInPlace.findMany({ where: { userId: user.id } });
    expect(rows).toEqual([expect.objectContaining({ ip: "203.0.113.78", userAgent: "" })]);
  });

  it("with NOTIFY_NEW_SIGNIN=false, remembers places but mails nothing", async () => {
    const user = await createUser(t.db);
    const quiet = { ip: "198.51.100.40", userAgent: "quiet", config: { NOTIFY_NEW_SIGNIN: false } };
    await signIn(t.db, user.email, PASSWORD, quiet);
    expect(await t.db.signInPlace.count({ where: { userId: user.id, ip: "198.51.100.40" } })).toBe(1);
    // A later sign-in with notices on, from another new place, is the only mail.
    await signIn(t.db, user.email, PASSWORD, { ip: "198.51.100.41" });
    const mail = await mailTo(user.email, subject);
    expect(mail).toContain("198.51.100.41");
    await expect(mailTo(user.email, subject, { count: 2, timeoutMs: 300 })).rejects.toThrow(/no mail/);
  });
});

describe("audit export", () => {
  const exportOf = async (options: Parameters<typeof contextFor>[1], input: unknown) =>
    openAuditExport(await contextFor(t.db, options), input);

  it("streams every matching entry as CSV, escaped and safe for spreadsheets, across read batches", async () => {
    const { tokens } = await adminCaller();
    const marker = unique("export");
    const start = Date.UTC(2024, 0, 1);
    await t.db.auditLog.createMany({
      data: Array.from({ length: 1203 }, (_, index) => ({
        action: `${marker}.bulk`,
        createdAt: new Date(start + Math.floor(index / 2) * 1000),
        targetType: "user",
        targetId: `t${index}`,
      })),
    });
    await t.db.auditLog.create({
      data: {
        action: `${marker}.tricky`,
        createdAt: new Date(start + 10_000_000),
        actorEmail: '=HYPERLINK("http://evil.example")',
        userAgent: 'Agent "quoted", with comma\nand a line',
        ip: "198.51.100.1",
        changes: { note: "é ✓ 🧗" },
      },
    });
    const file = await exportOf({ token: tokens.access_token }, { action: marker, format: "csv" });
    expect(file.contentType).toBe("text/csv; charset=utf-8");
    expect(file.filename).toMatch(/^mastoc-audit-\d{4}-\d{2}-\d{2}\.csv$/);
    const body = await text(file.body);
    const lines = body.split("\r\n");
    expect(lines[0]).toBe("createdAt,action,actorId,actorEmail,targetType,targetId,ip,userAgent,changes");
    expect(lines[1]).toBe(
      `${new Date(start + 10_000_000).toISOString()},${marker}.tricky,,"'=HYPERLINK(""http://evil.example"")",,,198.51.100.1,"Agent ""quoted"", with comma\nand a line","{""note"":""é ✓ 🧗""}"`,
    );
    const bulk = lines.filter((line) => line.includes(`${marker}.bulk`));
    expect(bulk).toHaveLength(1203);
    expect(new Set(bulk.map((line) => line.split(",")[5])).size).toBe(1203);
    expect(body.endsWith("\r\n")).toBe(true);
  });

  it("streams NDJSON with the list's filters, and moderators only see climbs", async () => {
    const { tokens } = await adminCaller();
    const marker = unique("nd");
    await seedAudit([
      { action: `${marker}.a`, at: new Date(Date.UTC(2025, 5, 1)), ip: "192.0.2.5" },
      { action: `${marker}.b`, at: new Date(Date.UTC(2025, 5, 2)), ip: "192.0.2.6" },
      { action: `${marker}.c`, at: new Date(Date.UTC(2025, 5, 3)), ip: "192.0.2.5" },
    ]);
    const file = await exportOf(
      { token: tokens.access_token },
      { action: marker, ip: "192.0.2.5", from: "2025-06-01T00:00:00Z", format: "ndjson" },
    );
    expect(file.contentType).toBe("application/x-ndjson; charset=utf-8");
    const entries = (await text(file.body))
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line) as { action: string; createdAt: string; ip: string });
    expect(entries.map((entry) => entry.action)).toEqual([`${marker}.c`, `${marker}.a`]);
    expect(entries[0]!.createdAt).toBe("2025-06-03T00:00:00.000Z");

    const moderator = await createUser(t.db, { role: "MODERATOR" });
    const asModerator = { token: (await signIn(t.db, moderator.email)).tokens.access_token };
    const climbsOnly = await text((await exportOf(asModerator, { format: "ndjson" })).body);
    for (const line of climbsOnly.trimEnd().split("\n").filter(Boolean)) {
      expect(JSON.parse(line)).toMatchObject({ targetType: "climb" });
    }
    await expect(exportOf(asModerator, { format: "csv", targetType: "user" })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
  });

  it("refuses before sending anything: no credential, no permission, a bad format or filter", async () => {
    const user = await createUser(t.db);
    const asUser = { token: (await signIn(t.db, user.email)).tokens.access_token };
    const { tokens } = await adminCaller();
    const asAdmin = { token: tokens.access_token };
    await expect(exportOf({}, { format: "csv" })).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    await expect(exportOf(asUser, { format: "csv" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(exportOf(asAdmin, { format: "xml" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(exportOf(asAdmin, { format: "csv", from: "30000-01-01" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await expect(exportOf(asAdmin, { format: "csv", action: "bad\u0000byte" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
  });
});
