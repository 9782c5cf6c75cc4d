// Password policy, strength feedback, change password, brute-force defence.
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { hashPassword, verifyPassword } from "../src/services/passwords";
import { callerFor, createUser, linkIn, mailTo, PASSWORD, rejection, signIn, unique, useTestDatabase } from "./support";

const t = useTestDatabase();
const register = async (password: string, name = unique()) =>
  (await callerFor(t.db, { ip: `10.${Math.floor(Math.random() * 250)}.0.1` })).auth.register({
    email: `${name}@example.com`,
    username: name,
    password,
  });

describe("password policy (ASVS V2.1.1, V2.1.2, V2.1.7)", () => {
  it("refuses fewer than 8 characters", async () => {
    const error = await rejection(register("Ab1-xyz"), "BAD_REQUEST");
    expect(error.message).toContain("at least 8 characters");
  });

  it("refuses more than 72 bytes with a clear message, counting bytes not characters", async () => {
    const error = await rejection(register("é".repeat(37)), "BAD_REQUEST"); // 37 characters, 74 bytes
    expect(error.message).toContain("at most 72 bytes");
    // 72 bytes exactly is accepted (and not silently truncated: a different 73rd byte would matter).
    const fine = "Mixed-Sl0per-" + "é".repeat(29) + "x"; // 13 + 58 + 1 = 72 bytes
    expect(Buffer.byteLength(fine)).toBe(72);
    expect((await register(fine)).id).toBeTruthy();
  });

  it("refuses common passwords such as password123 with a hint", async () => {
    const error = await rejection(register("password123"), "BAD_REQUEST");
    expect(error.message).toMatch(/^Password is too weak\. .+/);
  });

  it("refuses a password that contains the email or username", async () => {
    const name = unique("climber");
    const error = await rejection(register(`${name}-Crimps-2024!`, name), "BAD_REQUEST");
    expect(error.message).toContain("contains your email or username");
  });

  it("auth.passwordStrength gives live feedback without touching any account", async () => {
    const anonymous = await callerFor(t.db);
    const weak = await anonymous.auth.passwordStrength({ password: "password123" });
    expect(weak).toMatchObject({ score: 0, acceptable: false });
    expect(weak.warning ?? weak.suggestions[0]).toBeTruthy();
    const strong = await anonymous.auth.passwordStrength({ password: PASSWORD });
    expect(strong.acceptable).toBe(true);
    expect(strong.score).toBeGreaterThanOrEqual(3);
    const personal = await anonymous.auth.passwordStrength({
      password: "adalovelace-rocks-99",
      username: "adalovelace",
    });
    expect(personal.acceptable).toBe(false);
  });
});

describe("change password (ASVS V2.1.5, V3.3.3)", () => {
  it("requires the current password, applies the policy and revokes the other sessions only", async () => {
    const user = await createUser(t.db);
    const current = await signIn(t.db, user.email);
    const other = await signIn(t.db, user.email);
    await rejection(
      current.caller.auth.changePassword({
        currentPassword: "Wrong-Current-99",
        newPassword: "New-Boulder-Problem-88",
      }),
      "BAD_REQUEST",
    );
    await rejection(
      current.caller.auth.changePassword({ currentPassword: PASSWORD, newPassword: "password123" }),
      "BAD_REQUEST",
    );
    await rejection(
      current.caller.auth.changePassword({ currentPassword: PASSWORD, newPassword: PASSWORD }),
      "BAD_REQUEST",
    );
    expect(
      await current.caller.auth.changePassword({ currentPassword: PASSWORD, newPassword: "New-Boulder-Problem-88" }),
    ).toEqual({
      success: true,
      otherSessionsRevoked: 1,
    });
    await rejection((await callerFor(t.db, { token: other.tokens.access_token })).auth.me(), "UNAUTHORIZED");
    expect((await (await callerFor(t.db, { token: current.tokens.access_token })).auth.me()).id).toBe(user.id);
    await rejection(signIn(t.db, user.email, PASSWORD), "UNAUTHORIZED");
    expect((await signIn(t.db, user.email, "New-Boulder-Problem-88")).tokens.user.id).toBe(user.id);
  });
});

describe("brute-force defence (ASVS V2.2.1)", () => {
  const limits = (extra: object = {}) => ({ config: { MAX_LOGIN_ATTEMPTS: 5, ACCOUNT_LOCK_DURATION: 900, ...extra } });

  it("the 6th attempt after 5 failures is 429 even with the right password, with a retry-after", async () => {
    const user = await createUser(t.db);
    const caller = await callerFor(t.db, limits());
    for (let attempt = 1; attempt <= 5; attempt++) {
      await rejection(caller.auth.login({ email: user.email, password: `Wrong-Guess-${attempt}-xyz` }), "UNAUTHORIZED");
    }
    const locked = await rejection(caller.auth.login({ email: user.email, password: PASSWORD }), "TOO_MANY_REQUESTS");
    expect(locked.message).toMatch(/Too many failed sign-in attempts for this account\. Try again in 15 minutes\./);
    expect((locked.cause as { retryAfterSeconds?: number }).retryAfterSeconds).toBeGreaterThan(890);
    const row = await t.db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row.lockedUntil!.getTime()).toBeGreaterThan(Date.now() + 890_000);
    expect(await t.db.auditLog.count({ where: { action: "auth.lockout", targetId: user.id } })).toBe(1);
  });

  it("failures have no actor and the account as target; the lock mails its owner a working reset link", async () => {
    const user = await createUser(t.db);
    const caller = await callerFor(t.db, { ...limits(), ip: "203.0.113.66", userAgent: "curl/8.5.0" });
    for (let attempt = 1; attempt <= 5; attempt++) {
      await rejection(caller.auth.login({ email: user.email, password: `Wrong-Guess-${attempt}-xyz` }), "UNAUTHORIZED");
    }
    const failures = await t.db.auditLog.findMany({ where: { action: "auth.login.failure", targetId: user.id } });
    expect(failures).toHaveLength(5);
    for (const failure of failures)
      expect(failure).toMatchObject({ actorId: null, actorEmail: null, ip: "203.0.113.66" });
    await rejection(caller.auth.login({ email: user.email, password: PASSWORD }), "TOO_MANY_REQUESTS");
    expect(await t.db.auditLog.findFirst({ where: { action: "auth.login.locked", targetId: user.id } })).toMatchObject({
      actorId: null,
    });

    const mail = await mailTo(user.email, /Your mastoc account was locked after failed sign-ins/);
    expect(mail).toContain("Last attempt from: 203.0.113.66 (curl 8.5)");
    const { token } = await linkIn("reset-password", mail);
    await (await callerFor(t.db)).auth.confirmPasswordReset({ token, password: "Fresh-Crimp-Sequence-81" });
    // The reset lifts the lock: the owner is in with the new password.
    await signIn(t.db, user.email, "Fresh-Crimp-Sequence-81");
  });

  it("an unknown identifier's failure keeps what was typed, as the entry's changes", async () => {
    const typed = `nobody-${unique()}@example.com`;
    await rejection(
      (await callerFor(t.db, limits())).auth.login({ email: typed, password: "Wrong-1-xyz" }),
      "UNAUTHORIZED",
    );
    const entries = await t.db.auditLog.findMany({ where: { action: "auth.login.failure", targetId: null } });
    const entry = entries.find(
      (candidate) => (candidate.changes as { identifier?: string } | null)?.identifier === typed,
    );
    expect(entry).toMatchObject({ actorId: null, actorEmail: null });
  });

  it("an admin unlock lets the owner in again", async () => {
    const [admin, user] = [await createUser(t.db, { role: "ADMIN" }), await createUser(t.db)];
    await t.db.user.update({ where: { id: user.id }, data: { lockedUntil: new Date(Date.now() + 900_000) } });
    await rejection(signIn(t.db, user.email), "TOO_MANY_REQUESTS");
    await (await signIn(t.db, admin.email)).caller.admin.unlock({ id: user.id });
    expect((await signIn(t.db, user.email)).tokens.user.id).toBe(user.id);
  });

  it("failures older than the 15-minute window do not count", async () => {
    const user = await createUser(t.db);
    await t.db.user.update({
      where: { id: user.id },
      data: { failedLoginCount: 4, lastFailedLoginAt: new Date(Date.now() - 16 * 60_000) },
    });
    await rejection(
      (await callerFor(t.db, limits())).auth.login({ email: user.email, password: "Wrong-Guess-xyz-1" }),
      "UNAUTHORIZED",
    );
    expect((await t.db.user.findUniqueOrThrow({ where: { id: user.id } })).failedLoginCount).toBe(1);
    expect((await signIn(t.db, user.email)).tokens.user.id).toBe(user.id);
  });

  it("an unknown email behaves like a known one: same error, and locked after as many failures", async () => {
    const caller = await callerFor(t.db, limits());
    const email = `${unique("ghost")}@example.com`;
    for (let attempt = 1; attempt <= 5; attempt++) {
      const error = await rejection(
        caller.auth.login({ email, password: `Wrong-Guess-${attempt}-xyz` }),
        "UNAUTHORIZED",
      );
      expect(error.message).toBe("Invalid email or password");
    }
    const locked = await rejection(caller.auth.login({ email, password: PASSWORD }), "TOO_MANY_REQUESTS");
    expect(locked.message).toMatch(/^Too many failed sign-in attempts for this account\./);
  });

  it("the per-IP budget stops password spraying across accounts, without touching other addresses", async () => {
    const ip = `192.0.2.${Math.floor(Math.random() * 250) + 1}`;
    const sprayer = await callerFor(t.db, { ip, ...limits({ MAX_LOGIN_ATTEMPTS_PER_IP: 4 }) });
    const victims = await Promise.all([1, 2, 3, 4, 5].map(() => createUser(t.db)));
    for (const victim of victims.slice(0, 4)) {
      await rejection(sprayer.auth.login({ email: victim.email, password: "Summer-2026-Guess!" }), "UNAUTHORIZED");
    }
    const stopped = await rejection(
      sprayer.auth.login({ email: victims[4]!.email, password: PASSWORD }),
      "TOO_MANY_REQUESTS",
    );
    expect(stopped.message).toMatch(/from your network/);
    // No account was locked by the spraying, and another address signs in normally.
    expect(await t.db.user.count({ where: { id: { in: victims.map((v) => v.id) }, lockedUntil: { not: null } } })).toBe(
      0,
    );
    expect((await signIn(t.db, victims[4]!.email, PASSWORD, { ip: "198.51.100.99" })).tokens.user.id).toBe(
      victims[4]!.id,
    );
  });

  it("registrations are limited per IP", async () => {
    const ip = `198.18.0.${Math.floor(Math.random() * 250) + 1}`;
    const caller = await callerFor(t.db, { ip, config: { MAX_REGISTRATIONS_PER_IP: 2 } });
    for (let index = 0; index < 2; index++) {
      const name = unique();
      await caller.auth.register({ email: `${name}@example.com`, username: name, password: PASSWORD });
    }
    const name = unique();
    const error = await rejection(
      caller.auth.register({ email: `${name}@example.com`, username: name, password: PASSWORD }),
      "TOO_MANY_REQUESTS",
    );
    expect(error.message).toMatch(/Too many accounts created from your network/);
    expect(await t.db.user.count({ where: { username: name } })).toBe(0);
  });
});

describe("re-entering the password for sensitive changes (ASVS V2.2.1)", () => {
  it("wrong passwords on change password and account deletion are limited like sign-ins", async () => {
    const user = await createUser(t.db);
    const { caller } = await signIn(t.db, user.email);
    for (let attempt = 1; attempt <= 3; attempt++) {
      await rejection(
        caller.auth.changePassword({
          currentPassword: `Guess-${attempt}-Wrong-x`,
          newPassword: "New-Boulder-Problem-88",
        }),
        "BAD_REQUEST",
      );
    }
    for (let attempt = 4; attempt <= 5; attempt++) {
      await rejection(caller.users.deleteMe({ password: `Guess-${attempt}-Wrong-x` }), "BAD_REQUEST");
    }
    const limited = await rejection(caller.users.deleteMe({ password: PASSWORD }), "TOO_MANY_REQUESTS");
    expect(limited.message).toMatch(/^Too many wrong passwords\. Try again in 15 minutes\./);
    await rejection(
      caller.auth.changePassword({ currentPassword: PASSWORD, newPassword: "New-Boulder-Problem-88" }),
      "TOO_MANY_REQUESTS",
    );
    expect(await t.db.user.count({ where: { id: user.id } })).toBe(1);
  });
});

describe("hashing threads", () => {
  /** The nice value of each thread of this process (Linux: field 19 of /proc/self/task/<id>/stat). */
  const niceOfThreads = () =>
    readdirSync("/proc/self/task").map((id) => {
      const stat = readFileSync(`/proc/self/task/${id}/stat`, "utf8");
      return { id: Number(id), nice: Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[16]) };
    });

  it.runIf(process.platform === "linux")(
    "hash at the lowest priority, so that the request thread always gets the CPU first",
    async () => {
      expect(await verifyPassword(PASSWORD, await hashPassword(PASSWORD, 4))).toBe(true);
      const threads = niceOfThreads();
      expect(threads.find((thread) => thread.id === process.pid)?.nice).toBe(0);
      // The pool's threads (started by this file's first hash, or just now) run at nice 19.
      const hashing = threads.filter((thread) => thread.nice === 19);
      expect(hashing.length).toBeGreaterThanOrEqual(1);
      expect(hashing.every((thread) => thread.id !== process.pid)).toBe(true);
    },
  );
});
