// Administration invariants: one active ADMIN always remains, nobody raises their own
// role, moderators act only on USER accounts and only on activation.
import { describe, expect, it } from "vitest";
import { callerFor, createUser, PASSWORD, rejection, signIn, useTestDatabase } from "./support";

const t = useTestDatabase();

async function soleAdmin() {
  // Every other admin of this test database is demoted first, so `admin` is the last one.
  await t.db.user.updateMany({ where: { role: "ADMIN" }, data: { role: "USER" } });
  const admin = await createUser(t.db, { role: "ADMIN" });
  return { admin, caller: (await signIn(t.db, admin.email)).caller };
}

describe("the last active administrator", () => {
  it("cannot be demoted, deactivated or deleted by another path, nor delete their own account", async () => {
    const { admin } = await soleAdmin();
    const other = await createUser(t.db, { role: "ADMIN" });
    const otherCaller = (await signIn(t.db, other.email)).caller;
    // With two admins, one may demote the other…
    await otherCaller.admin.setRole({ id: admin.id, role: "MODERATOR" });
    // …but now `other` is the last one: nobody can remove them.
    const demoted = (await signIn(t.db, admin.email)).caller;
    await rejection(demoted.admin.setRole({ id: other.id, role: "USER" }), "FORBIDDEN"); // a moderator cannot change roles
    const selfDelete = await rejection(otherCaller.users.deleteMe({ password: PASSWORD }), "CONFLICT");
    expect(selfDelete.message).toMatch(/At least one active administrator must remain/);
    expect(await t.db.user.count({ where: { id: other.id } })).toBe(1);
  });

  it("cannot be demoted or deactivated by themselves", async () => {
    const { admin, caller } = await soleAdmin();
    const role = await rejection(caller.admin.setRole({ id: admin.id, role: "USER" }), "FORBIDDEN");
    expect(role.message).toBe("You cannot change your own role");
    await rejection(caller.admin.deactivate({ id: admin.id }), "FORBIDDEN");
    await rejection(caller.admin.deleteUser({ id: admin.id }), "FORBIDDEN");
    expect(await t.db.user.findUnique({ where: { id: admin.id }, select: { role: true, isActive: true } })).toEqual({
      role: "ADMIN",
      isActive: true,
    });
  });

  it("two admins demoting each other at once leave one admin in place", async () => {
    await soleAdmin();
    const [a, b] = [await createUser(t.db, { role: "ADMIN" }), await createUser(t.db, { role: "ADMIN" })];
    await t.db.user.updateMany({ where: { role: "ADMIN", id: { notIn: [a.id, b.id] } }, data: { role: "USER" } });
    const [callerA, callerB] = [(await signIn(t.db, a.email)).caller, (await signIn(t.db, b.email)).caller];
    const results = await Promise.allSettled([
      callerA.admin.setRole({ id: b.id, role: "USER" }),
      callerB.admin.setRole({ id: a.id, role: "USER" }),
    ]);
    // The changes are applied one after the other: the second sees the first and is refused.
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    const refused = results.find((result) => result.status === "rejected") as PromiseRejectedResult;
    expect(refused.reason).toMatchObject({ code: "CONFLICT" });
    expect((refused.reason as Error).message).toMatch(/At least one active administrator must remain/);
    expect(await t.db.user.count({ where: { role: "ADMIN", isActive: true } })).toBe(1);
  });
});

describe("roles", () => {
  it("an admin promotes a user; the change applies to the user's very next request", async () => {
    const admin = await createUser(t.db, { role: "ADMIN" });
    const user = await createUser(t.db);
    const { tokens } = await signIn(t.db, user.email);
    // Each request resolves its own context, as each HTTP request does.
    const request = () => callerFor(t.db, { token: tokens.access_token });
    await rejection((await request()).admin.listUsers({}), "FORBIDDEN");
    await (await signIn(t.db, admin.email)).caller.admin.setRole({ id: user.id, role: "MODERATOR" });
    expect((await (await request()).admin.listUsers({})).total).toBeGreaterThan(0);
    expect((await (await request()).auth.me()).permissions["users.read"]).toBe(true);
  });

  it("a moderator cannot raise their own role nor change anyone's", async () => {
    const moderator = await createUser(t.db, { role: "MODERATOR" });
    const caller = (await signIn(t.db, moderator.email)).caller;
    await rejection(caller.admin.setRole({ id: moderator.id, role: "ADMIN" }), "FORBIDDEN");
    const user = await createUser(t.db);
    await rejection(caller.admin.setRole({ id: user.id, role: "MODERATOR" }), "FORBIDDEN");
    expect((await t.db.user.findUniqueOrThrow({ where: { id: moderator.id } })).role).toBe("MODERATOR");
  });

  it("a moderator deactivates and reactivates a USER but not a MODERATOR or ADMIN", async () => {
    const moderator = await createUser(t.db, { role: "MODERATOR" });
    const caller = (await signIn(t.db, moderator.email)).caller;
    const user = await createUser(t.db);
    expect((await caller.admin.deactivate({ id: user.id })).isActive).toBe(false);
    expect((await caller.admin.activate({ id: user.id })).isActive).toBe(true);
    const peer = await createUser(t.db, { role: "MODERATOR" });
    const error = await rejection(caller.admin.deactivate({ id: peer.id }), "FORBIDDEN");
    expect(error.message).toBe("Moderators can only deactivate or reactivate USER accounts");
  });

  it("an unknown user id is NOT_FOUND, a bad role is BAD_REQUEST", async () => {
    const admin = await createUser(t.db, { role: "ADMIN" });
    const caller = (await signIn(t.db, admin.email)).caller;
    await rejection(caller.admin.getUser({ id: "nope" }), "NOT_FOUND");
    await rejection(caller.admin.setRole({ id: "nope", role: "USER" }), "NOT_FOUND");
    await rejection(caller.admin.setRole({ id: admin.id, role: "OWNER" as never }), "BAD_REQUEST");
  });
});

describe("admin.listUsers", () => {
  it("searches email, username and name, filters by role and activity, sorts and paginates with a total", async () => {
    const admin = await createUser(t.db, { role: "ADMIN" });
    const caller = (await signIn(t.db, admin.email)).caller;
    const tag = `zq${Date.now().toString(36)}`;
    for (let index = 0; index < 5; index++) {
      await t.db.user.create({
        data: {
          email: `${tag}${index}@example.com`,
          username: `${tag}_${index}`,
          name: index === 4 ? `Boulder ${tag.toUpperCase()}` : null,
          role: index === 0 ? "MODERATOR" : "USER",
          isActive: index !== 1,
        },
      });
    }
    const all = await caller.admin.listUsers({ query: tag, sort: "username", order: "asc", pageSize: 2 });
    expect(all.total).toBe(5);
    expect(all.pageCount).toBe(3);
    expect(all.items.map((user) => user.username)).toEqual([`${tag}_0`, `${tag}_1`]);
    const page3 = await caller.admin.listUsers({ query: tag, sort: "username", order: "asc", pageSize: 2, page: 3 });
    expect(page3.items.map((user) => user.username)).toEqual([`${tag}_4`]);
    expect((await caller.admin.listUsers({ query: tag, role: "MODERATOR" })).total).toBe(1);
    expect((await caller.admin.listUsers({ query: tag, active: false })).total).toBe(1);
    // Case-insensitive on the display name, on both databases.
    expect((await caller.admin.listUsers({ query: `boulder ${tag}` })).items[0]?.name).toBe(
      `Boulder ${tag.toUpperCase()}`,
    );
  });

  it("admin.updateUser refuses a duplicate email with CONFLICT and unknown fields with BAD_REQUEST", async () => {
    const admin = await createUser(t.db, { role: "ADMIN" });
    const caller = (await signIn(t.db, admin.email)).caller;
    const [a, b] = [await createUser(t.db), await createUser(t.db)];
    await rejection(caller.admin.updateUser({ id: a.id, email: b.email }), "CONFLICT");
    await rejection(caller.admin.updateUser({ id: a.id, role: "ADMIN" } as never), "BAD_REQUEST");
    expect((await caller.admin.updateUser({ id: a.id, name: "New Name" })).name).toBe("New Name");
    await caller.admin.verifyEmail({ id: a.id });
    const moved = await caller.admin.updateUser({ id: a.id, email: `Moved-${a.email}` });
    expect(moved).toMatchObject({ email: `moved-${a.email}`, emailVerified: null });
  });

  it("admin.verifyEmail and admin.unlock change what they name", async () => {
    const admin = await createUser(t.db, { role: "ADMIN" });
    const caller = (await signIn(t.db, admin.email)).caller;
    const user = await createUser(t.db);
    await t.db.user.update({
      where: { id: user.id },
      data: { lockedUntil: new Date(Date.now() + 600_000), failedLoginCount: 3 },
    });
    expect((await caller.admin.verifyEmail({ id: user.id })).emailVerified).toBeInstanceOf(Date);
    const unlocked = await caller.admin.unlock({ id: user.id });
    expect(unlocked.lockedUntil).toBeNull();
    expect(unlocked.failedLoginCount).toBe(0);
  });
});

describe("callers without a role", () => {
  it("forbidden is 403 (FORBIDDEN), not 401, for a signed-in USER", async () => {
    const user = await createUser(t.db);
    const caller = (await signIn(t.db, user.email)).caller;
    await rejection(caller.admin.listUsers({}), "FORBIDDEN");
    await rejection(caller.audit.list({}), "FORBIDDEN");
    await rejection((await callerFor(t.db)).admin.listUsers({}), "UNAUTHORIZED");
  });
});

describe("a user's sessions and security activity, for administrators", () => {
  it("lists the user's sessions, signs one out (audited), and refuses another user's session id", async () => {
    const admin = await createUser(t.db, { role: "ADMIN" });
    const { caller } = await signIn(t.db, admin.email);
    const user = await createUser(t.db);
    const { tokens: theirs } = await signIn(t.db, user.email);
    const other = await createUser(t.db);
    await signIn(t.db, other.email);
    const [session] = await caller.admin.userSessions({ id: user.id });
    expect(session).toMatchObject({ current: false });
    const [otherSession] = await caller.admin.userSessions({ id: other.id });
    await rejection(caller.admin.revokeUserSession({ userId: user.id, sessionId: otherSession!.id }), "NOT_FOUND");
    await caller.admin.revokeUserSession({ userId: user.id, sessionId: session!.id });
    expect(await caller.admin.userSessions({ id: user.id })).toEqual([]);
    await rejection((await callerFor(t.db, { token: theirs.access_token })).auth.me(), "UNAUTHORIZED");
    await rejection(caller.admin.revokeUserSession({ userId: user.id, sessionId: session!.id }), "NOT_FOUND");
    const entry = await t.db.auditLog.findFirst({ where: { action: "admin.user.session_revoke", targetId: user.id } });
    expect(entry).toMatchObject({ actorId: admin.id, changes: { session: session!.id } });
    const events = await caller.admin.userSecurityActivity({ id: user.id });
    expect(events.map((event) => event.action)).toContain("admin.user.session_revoke");
    await rejection(caller.admin.userSessions({ id: "missing" }), "NOT_FOUND");
  });
});
