// Password reset by email (through the outbox: real .eml files), and an audit trail
// without secrets.
import { simpleParser } from "mailparser";
import { describe, expect, it } from "vitest";
import { getConfig } from "../src/config";
import { callerFor, createUser, linkIn, mailTo, PASSWORD, rejection, signIn, unique, useTestDatabase } from "./support";

const t = useTestDatabase();
const NEW_PASSWORD = "Fresh-Start-Highball-61";

describe("password reset by email (ASVS V2.5.x)", () => {
  it("answers identically whether the email exists, and mails a link built from APP_URL only", async () => {
    const user = await createUser(t.db);
    const anonymous = await callerFor(t.db, { headers: { host: "evil.example" } });
    const known = await anonymous.auth.requestPasswordReset({ email: user.email });
    const unknown = await anonymous.auth.requestPasswordReset({ email: `${unique()}@example.com` });
    expect(known).toEqual(unknown);
    const { base, token } = await linkIn("reset-password", await mailTo(user.email, /Reset your mastoc password/));
    expect(base).toBe(`${getConfig().APP_URL}/reset-password?token=`);
    expect(Buffer.from(token, "base64url").length).toBeGreaterThanOrEqual(32);
    const stored = await t.db.passwordResetToken.findFirstOrThrow({ where: { userId: user.id } });
    expect(stored.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored.tokenHash).not.toBe(token);
  });

  it("the token works once, consumes every reset token, revokes all sessions, unlocks, and mails a notice", async () => {
    const user = await createUser(t.db);
    const older = await signIn(t.db, user.email);
    const anonymous = await callerFor(t.db);
    await anonymous.auth.requestPasswordReset({ email: user.email });
    const { token } = await linkIn("reset-password", await mailTo(user.email, /Reset your mastoc password/));
    await anonymous.auth.requestPasswordReset({ email: user.email }); // a second, unused link
    await t.db.user.update({ where: { id: user.id }, data: { lockedUntil: new Date(Date.now() + 900_000) } });

    await rejection(anonymous.auth.confirmPasswordReset({ token, password: "password123" }), "BAD_REQUEST");
    expect(await anonymous.auth.confirmPasswordReset({ token, password: NEW_PASSWORD })).toEqual({ success: true });
    const reused = await rejection(
      anonymous.auth.confirmPasswordReset({ token, password: "Another-New-Pass-77" }),
      "BAD_REQUEST",
    );
    expect(reused.message).toMatch(/invalid, has already been used or has expired/);
    expect(await t.db.passwordResetToken.count({ where: { userId: user.id, usedAt: null } })).toBe(0);
    await rejection((await callerFor(t.db, { token: older.tokens.access_token })).auth.me(), "UNAUTHORIZED");
    await rejection(anonymous.auth.refresh({ refresh_token: older.tokens.refresh_token }), "UNAUTHORIZED");
    expect((await signIn(t.db, user.email, NEW_PASSWORD)).tokens.user.id).toBe(user.id);
    const notice = (await simpleParser(await mailTo(user.email, /Your mastoc password was changed/))).text;
    expect(notice).toContain("other sessions were signed out");
  });

  it("one link used twice at once sets the password once, and the audit says which requests sent a link", async () => {
    const user = await createUser(t.db);
    const anonymous = await callerFor(t.db);
    await anonymous.auth.requestPasswordReset({ email: user.email });
    const { token } = await linkIn("reset-password", await mailTo(user.email, /Reset your mastoc password/));
    const outcomes = await Promise.allSettled([
      anonymous.auth.confirmPasswordReset({ token, password: NEW_PASSWORD }),
      anonymous.auth.confirmPasswordReset({ token, password: "Another-New-Pass-77" }),
    ]);
    expect(outcomes.filter((outcome) => outcome.status === "fulfilled")).toHaveLength(1);
    expect(await t.db.auditLog.count({ where: { action: "auth.password_reset.confirm", targetId: user.id } })).toBe(1);
    const requests = await t.db.auditLog.findMany({
      where: { action: "auth.password_reset.request", actorEmail: user.email },
      select: { targetId: true, changes: true },
    });
    expect(requests).toHaveLength(1);
    expect(requests[0]!.targetId).toBe(user.id);
    expect(JSON.stringify(requests[0]!.changes)).toContain('"sent":true');
  });

  it("an expired token is refused", async () => {
    const user = await createUser(t.db);
    const anonymous = await callerFor(t.db);
    await anonymous.auth.requestPasswordReset({ email: user.email });
    const { token } = await linkIn("reset-password", await mailTo(user.email, /Reset your mastoc password/));
    await t.db.passwordResetToken.updateMany({
      where: { userId: user.id },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    await rejection(anonymous.auth.confirmPasswordReset({ token, password: NEW_PASSWORD }), "BAD_REQUEST");
  });

  it("reset requests are limited per account (silently) and per IP (429)", async () => {
    const user = await createUser(t.db);
    const caller = await callerFor(t.db, { ip: "192.0.2.200" });
    for (let index = 0; index < 7; index++) await caller.auth.requestPasswordReset({ email: user.email });
    expect(await t.db.passwordResetToken.count({ where: { userId: user.id } })).toBe(5);
    for (let index = 0; index < 13; index++)
      await caller.auth.requestPasswordReset({ email: `${unique()}@example.com` });
    await rejection(caller.auth.requestPasswordReset({ email: user.email }), "TOO_MANY_REQUESTS");
  });
});

describe("the audit trail of authentication (ASVS V7.1.1, V7.2.1)", () => {
  it("records every auth event and never a password or token", async () => {
    const user = await createUser(t.db);
    const anonymous = await callerFor(t.db);
    await rejection(anonymous.auth.login({ email: user.email, password: "Wrong-Secret-Guess-1" }), "UNAUTHORIZED");
    const first = await signIn(t.db, user.email);
    const second = await signIn(t.db, user.email);
    const key = await first.caller.apiKeys.create({ name: "audit" });
    await first.caller.apiKeys.revoke({ id: key.id });
    const sessions = await first.caller.auth.sessions();
    await first.caller.auth.revokeSession({ id: sessions.find((session) => !session.current)!.id });
    await first.caller.auth.changePassword({ currentPassword: PASSWORD, newPassword: NEW_PASSWORD });
    await anonymous.auth.requestPasswordReset({ email: user.email });
    await first.caller.auth.logout();
    const entries = await t.db.auditLog.findMany({
      where: { OR: [{ actorId: user.id }, { targetId: user.id }, { actorEmail: user.email }] },
    });
    const actions = entries.map((entry) => entry.action);
    for (const action of [
      "auth.login.failure",
      "auth.login.success",
      "apikey.create",
      "apikey.revoke",
      "auth.session.revoke",
      "auth.password.change",
      "auth.password_reset.request",
      "auth.logout",
    ]) {
      expect(actions).toContain(action);
    }
    const dump = JSON.stringify(entries);
    for (const secret of [
      PASSWORD,
      NEW_PASSWORD,
      "Wrong-Secret-Guess-1",
      key.key,
      first.tokens.access_token,
      second.tokens.refresh_token,
    ]) {
      expect(dump).not.toContain(secret);
    }
  });
});
