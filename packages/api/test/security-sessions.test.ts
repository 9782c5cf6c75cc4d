// Refresh rotation with theft detection, immediate revocation everywhere, sessions list.
import { describe, expect, it } from "vitest";
import { getConfig } from "../src/config";
import { createSession } from "../src/services/sessions";
import { callerFor, createUser, PASSWORD, rejection, signIn, useTestDatabase } from "./support";

const t = useTestDatabase();
const noGrace = { config: { REFRESH_REUSE_GRACE_SECONDS: 0 } };

/** A NextAuth-style web session for `userId`, as the portal opens it on sign-in. */
async function webSession(userId: string) {
  const session = await createSession(t.db, getConfig(), userId, "web", { ip: "203.0.113.9", userAgent: "browser" });
  const { sessionVersion } = await t.db.user.findUniqueOrThrow({ where: { id: userId } });
  return { sid: session.id, sub: userId, sv: sessionVersion };
}

const meWith = async (options: Parameters<typeof callerFor>[1]) => (await callerFor(t.db, options)).auth.me();

describe("refresh token rotation (ASVS V3.5.2, V3.3.1)", () => {
  it("every refresh returns a new refresh token and the old one is marked rotated", async () => {
    const user = await createUser(t.db);
    const { tokens } = await signIn(t.db, user.email);
    const next = await (await callerFor(t.db)).auth.refresh({ refresh_token: tokens.refresh_token });
    expect(next.refresh_token).not.toBe(tokens.refresh_token);
    const rows = await t.db.refreshToken.findMany({
      where: { session: { userId: user.id } },
      orderBy: { createdAt: "asc" },
    });
    expect(rows).toHaveLength(2);
    expect(rows[0]!.rotatedAt).toBeInstanceOf(Date);
    expect(rows[1]!.parentId).toBe(rows[0]!.id);
  });

  it("replaying a rotated token after the grace window revokes the whole family", async () => {
    const user = await createUser(t.db);
    const { tokens } = await signIn(t.db, user.email);
    const anonymous = await callerFor(t.db, noGrace);
    const next = await anonymous.auth.refresh({ refresh_token: tokens.refresh_token });
    await rejection(anonymous.auth.refresh({ refresh_token: tokens.refresh_token }), "UNAUTHORIZED");
    // The thief's replay killed the legitimate client's tokens too.
    await rejection(anonymous.auth.refresh({ refresh_token: next.refresh_token }), "UNAUTHORIZED");
    await rejection(meWith({ token: next.access_token }), "UNAUTHORIZED");
    const session = await t.db.authSession.findFirstOrThrow({ where: { userId: user.id } });
    expect(session.revokedReason).toBe("refresh_token_reuse");
    expect(await t.db.auditLog.count({ where: { action: "auth.refresh.reuse_detected", targetId: session.id } })).toBe(
      1,
    );
  });

  it("within the grace window, concurrent refreshes of one token all succeed and keep the session alive", async () => {
    const user = await createUser(t.db);
    const { tokens } = await signIn(t.db, user.email);
    const anonymous = await callerFor(t.db);
    const results = await Promise.all(
      Array.from({ length: 4 }, () => anonymous.auth.refresh({ refresh_token: tokens.refresh_token })),
    );
    expect(new Set(results.map((result) => result.refresh_token)).size).toBe(4);
    for (const result of results) expect((await meWith({ token: result.access_token })).id).toBe(user.id);
    // Each of them can go on refreshing.
    for (const result of results) await anonymous.auth.refresh({ refresh_token: result.refresh_token });
  });

  it("an unknown, expired or web-session refresh token is refused", async () => {
    const user = await createUser(t.db);
    const anonymous = await callerFor(t.db);
    await rejection(anonymous.auth.refresh({ refresh_token: "not-a-token" }), "UNAUTHORIZED");
    const { tokens } = await signIn(t.db, user.email);
    await t.db.refreshToken.updateMany({
      where: { session: { userId: user.id } },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    await rejection(anonymous.auth.refresh({ refresh_token: tokens.refresh_token }), "UNAUTHORIZED");
  });
});

describe("immediate revocation (ASVS V3.3.1, V3.3.3)", () => {
  it("the access token is dead right after logout", async () => {
    const user = await createUser(t.db);
    const { tokens, caller } = await signIn(t.db, user.email);
    await caller.auth.logout();
    await rejection(meWith({ token: tokens.access_token }), "UNAUTHORIZED");
  });

  it("logoutAll kills every other session: tokens, refresh tokens and web sessions", async () => {
    const user = await createUser(t.db);
    const first = await signIn(t.db, user.email);
    const second = await signIn(t.db, user.email);
    const web = await webSession(user.id);
    expect((await meWith({ webSession: web })).id).toBe(user.id);
    expect(await first.caller.auth.logoutAll()).toEqual({ revoked: 3 });
    await rejection(meWith({ token: second.tokens.access_token }), "UNAUTHORIZED");
    await rejection(meWith({ token: first.tokens.access_token }), "UNAUTHORIZED");
    await rejection(meWith({ webSession: web }), "UNAUTHORIZED");
    await rejection(
      (await callerFor(t.db)).auth.refresh({ refresh_token: second.tokens.refresh_token }),
      "UNAUTHORIZED",
    );
  });

  it("revokeSession ends one chosen session only; another user's session is NOT_FOUND", async () => {
    const user = await createUser(t.db);
    const keep = await signIn(t.db, user.email, PASSWORD, { userAgent: "laptop" });
    const drop = await signIn(t.db, user.email, PASSWORD, { userAgent: "phone", ip: "198.51.100.20" });
    const sessions = await keep.caller.auth.sessions();
    expect(sessions).toHaveLength(2);
    const current = sessions.find((session) => session.current)!;
    expect(current.userAgent).toBe("laptop");
    const phone = sessions.find((session) => !session.current)!;
    expect(phone).toMatchObject({ userAgent: "phone", ip: "198.51.100.20", kind: "token" });
    expect(phone.createdAt).toBeInstanceOf(Date);
    expect(phone.lastUsedAt).toBeInstanceOf(Date);
    await keep.caller.auth.revokeSession({ id: phone.id });
    await rejection(meWith({ token: drop.tokens.access_token }), "UNAUTHORIZED");
    expect((await meWith({ token: keep.tokens.access_token })).id).toBe(user.id);
    const stranger = await signIn(t.db, (await createUser(t.db)).email);
    await rejection(stranger.caller.auth.revokeSession({ id: current.id }), "NOT_FOUND");
  });

  it("deactivation ends the user's bearer tokens, web session and API keys on the next request", async () => {
    const [admin, user] = [await createUser(t.db, { role: "ADMIN" }), await createUser(t.db)];
    const { tokens, caller } = await signIn(t.db, user.email);
    const { key } = await caller.apiKeys.create({ name: "cron" });
    const web = await webSession(user.id);
    await (await signIn(t.db, admin.email)).caller.admin.deactivate({ id: user.id });
    await rejection(meWith({ token: tokens.access_token }), "UNAUTHORIZED");
    await rejection(meWith({ webSession: web }), "UNAUTHORIZED");
    await rejection(meWith({ apiKey: key }), "UNAUTHORIZED");
    // Reactivation does not resurrect the ended sessions, but the key works again.
    await (await signIn(t.db, admin.email)).caller.admin.activate({ id: user.id });
    await rejection(meWith({ token: tokens.access_token }), "UNAUTHORIZED");
    expect((await meWith({ apiKey: key })).id).toBe(user.id);
  });

  it("a deleted user's tokens and web session stop working", async () => {
    const [admin, user] = [await createUser(t.db, { role: "ADMIN" }), await createUser(t.db)];
    const { tokens } = await signIn(t.db, user.email);
    const web = await webSession(user.id);
    await (await signIn(t.db, admin.email)).caller.admin.deleteUser({ id: user.id });
    await rejection(meWith({ token: tokens.access_token }), "UNAUTHORIZED");
    await rejection(meWith({ webSession: web }), "UNAUTHORIZED");
  });

  it("a role change applies to the next request of tokens and web sessions alike", async () => {
    const [admin, user] = [await createUser(t.db, { role: "ADMIN" }), await createUser(t.db, { role: "MODERATOR" })];
    const { tokens } = await signIn(t.db, user.email);
    const web = await webSession(user.id);
    expect((await (await callerFor(t.db, { webSession: web })).admin.listUsers({})).total).toBeGreaterThan(0);
    await (await signIn(t.db, admin.email)).caller.admin.setRole({ id: user.id, role: "USER" });
    await rejection((await callerFor(t.db, { token: tokens.access_token })).admin.listUsers({}), "FORBIDDEN");
    await rejection((await callerFor(t.db, { webSession: web })).admin.listUsers({}), "FORBIDDEN");
  });

  it("a web session whose claims do not match the database (user, version) is refused", async () => {
    const [user, other] = [await createUser(t.db), await createUser(t.db)];
    const web = await webSession(user.id);
    await rejection(meWith({ webSession: { ...web, sub: other.id } }), "UNAUTHORIZED");
    await rejection(meWith({ webSession: { ...web, sv: web.sv + 1 } }), "UNAUTHORIZED");
    await rejection(meWith({ webSession: { ...web, sid: "forged" } }), "UNAUTHORIZED");
  });
});
