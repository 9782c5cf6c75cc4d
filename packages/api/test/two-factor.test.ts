// Two-factor authentication (TOTP with recovery codes) through createCaller on each database:
// enrolment, the two-step sign-in, single use of every code (also under concurrency), the
// failure budget, disabling, the administrator's reset, and what a database dump reveals.
import { generate } from "otplib";
import { describe, expect, it } from "vitest";
import { getConfig } from "../src/config";
import { decryptSecret, MFA_CHALLENGE_MAX_FAILURES } from "../src/services/two-factor";
import { callerFor, createUser, mailTo, PASSWORD, rejection, signIn, useTestDatabase } from "./support";

const t = useTestDatabase();

/** The TOTP code of `secret`, `steps` 30-second steps from now (±1 is accepted). */
const codeAt = (secret: string, steps = 0) => generate({ secret, epoch: Math.floor(Date.now() / 1000) + steps * 30 });

type Caller = Awaited<ReturnType<typeof callerFor>>;

/** A user with two-factor authentication on, signed in (the session that enabled it). */
async function enrolled(options: { role?: "USER" | "ADMIN" } = {}) {
  const user = await createUser(t.db, options);
  const { caller, tokens } = await signIn(t.db, user.email);
  const setup = await caller.auth.twoFactor.setup({ password: PASSWORD });
  const { recoveryCodes } = await caller.auth.twoFactor.enable({ code: await codeAt(setup.secret) });
  /** A new caller with the session's access token: its context sees the database as it is now. */
  const again = () => callerFor(t.db, { token: tokens.access_token });
  return { user, caller, again, secret: setup.secret, recoveryCodes };
}

/** Signs in with the password: must answer the second step, no tokens. */
async function challenge(email: string, caller?: Caller) {
  const result = await (caller ?? (await callerFor(t.db))).auth.login({ email, password: PASSWORD });
  if (!("mfa_required" in result)) throw new Error("expected a two-factor challenge");
  return result;
}

describe("enrolment", () => {
  it("setup answers a base32 secret, an otpauth URI and a QR code; enable answers 10 recovery codes", async () => {
    const user = await createUser(t.db);
    const { caller, tokens } = await signIn(t.db, user.email);
    expect(await caller.auth.twoFactor.status()).toMatchObject({ enabled: false, recoveryCodesLeft: 0 });
    const setup = await caller.auth.twoFactor.setup({ password: PASSWORD });
    expect(setup.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(setup.otpauthUri).toMatch(/^otpauth:\/\/totp\/mastoc:/);
    expect(setup.otpauthUri).toContain(`secret=${setup.secret}`);
    expect(setup.qrSvg).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
    // Pending until confirmed: sign-in still needs the password only.
    expect(await caller.auth.twoFactor.status()).toMatchObject({ enabled: false });
    expect(
      "access_token" in (await (await callerFor(t.db)).auth.login({ email: user.email, password: PASSWORD })),
    ).toBe(true);

    const { recoveryCodes } = await caller.auth.twoFactor.enable({ code: await codeAt(setup.secret) });
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    for (const code of recoveryCodes) expect(code).toMatch(/^[a-z2-9]{5}-[a-z2-9]{5}$/);
    expect(await caller.auth.twoFactor.status()).toMatchObject({ enabled: true, recoveryCodesLeft: 10 });
    // Enabling keeps the session that did it.
    expect((await (await callerFor(t.db, { token: tokens.access_token })).auth.me()).id).toBe(user.id);
    await mailTo(user.email, /Two-factor authentication was turned on/);
    const actions = await t.db.auditLog.findMany({ where: { targetId: user.id }, select: { action: true } });
    expect(actions.map((row) => row.action)).toEqual(expect.arrayContaining(["auth.2fa.setup", "auth.2fa.enable"]));
  });

  it("refuses a wrong password, a wrong code, and a second enrolment", async () => {
    const user = await createUser(t.db);
    const { caller } = await signIn(t.db, user.email);
    const wrongPassword = await rejection(caller.auth.twoFactor.setup({ password: "not-it" }), "BAD_REQUEST");
    expect(wrongPassword.message).toMatch(/password/i);
    await rejection(caller.auth.twoFactor.enable({ code: "123456" }), "PRECONDITION_FAILED");
    const setup = await caller.auth.twoFactor.setup({ password: PASSWORD });
    const wrong = (await codeAt(setup.secret)) === "000000" ? "111111" : "000000";
    const error = await rejection(caller.auth.twoFactor.enable({ code: wrong }), "BAD_REQUEST");
    expect(JSON.stringify(error.cause)).toContain("code");
    const malformed = await rejection(caller.auth.twoFactor.enable({ code: "12ab56" }), "BAD_REQUEST");
    expect(malformed.message).toMatch(/6-digit/);
    await caller.auth.twoFactor.enable({ code: await codeAt(setup.secret) });
    await rejection(caller.auth.twoFactor.setup({ password: PASSWORD }), "CONFLICT");
    await rejection(caller.auth.twoFactor.enable({ code: await codeAt(setup.secret, 1) }), "CONFLICT");
  });

  it("stores the secret encrypted and bound to its user, and recovery codes as keyed hashes", async () => {
    const { user, secret, recoveryCodes } = await enrolled();
    const row = await t.db.user.findUniqueOrThrow({ where: { id: user.id }, select: { twoFactorSecret: true } });
    expect(row.twoFactorSecret).not.toContain(secret);
    expect(decryptSecret(getConfig(), user.id, row.twoFactorSecret!)).toBe(secret);
    expect(decryptSecret(getConfig(), "someone-else", row.twoFactorSecret!)).toBeNull();
    expect(decryptSecret({ ...getConfig(), TWO_FACTOR_KEY: "x".repeat(40) }, user.id, row.twoFactorSecret!)).toBeNull();
    const dump = JSON.stringify(await t.db.recoveryCode.findMany({ where: { userId: user.id } }));
    for (const code of recoveryCodes) {
      expect(dump).not.toContain(code);
      expect(dump).not.toContain(code.replace("-", ""));
    }
  });
});

describe("sign-in with a second factor", () => {
  it("login answers only a challenge; verifyMfa with a code answers the tokens, and opens a working session", async () => {
    const { user, secret } = await enrolled();
    const step = await challenge(user.email);
    expect(Object.keys(step).sort()).toEqual(["expires_in", "mfa_required", "mfa_token"]);
    expect(step.expires_in).toBe(300);
    const tokens = await (
      await callerFor(t.db)
    ).auth.verifyMfa({ mfa_token: step.mfa_token, code: await codeAt(secret, 1) });
    expect(tokens.token_type).toBe("bearer");
    expect(tokens.user.id).toBe(user.id);
    const me = await (await callerFor(t.db, { token: tokens.access_token })).auth.me();
    expect(me.id).toBe(user.id);
    const success = await t.db.auditLog.findFirst({
      where: { action: "auth.login.success", actorId: user.id },
      orderBy: { createdAt: "desc" },
    });
    expect(success?.changes).toMatchObject({ method: "password+totp", client: "token" });
    // The challenge is single use.
    await rejection(
      (await callerFor(t.db)).auth.verifyMfa({ mfa_token: step.mfa_token, code: await codeAt(secret, 1) }),
      "UNAUTHORIZED",
    );
  });

  it("a TOTP code is accepted once: the same code on a second sign-in is refused", async () => {
    const { user, secret } = await enrolled();
    const anonymous = await callerFor(t.db);
    const code = await codeAt(secret, 1);
    await anonymous.auth.verifyMfa({ mfa_token: (await challenge(user.email)).mfa_token, code });
    const replay = await rejection(
      anonymous.auth.verifyMfa({ mfa_token: (await challenge(user.email)).mfa_token, code }),
      "UNAUTHORIZED",
    );
    expect(replay.message).toBe("Invalid or expired sign-in code");
  });

  it("concurrent sign-ins with the same code: exactly one succeeds", async () => {
    const { user, secret } = await enrolled();
    const code = await codeAt(secret, 1);
    // A budget large enough for 6 password steps and 6 codes at once: only single use decides.
    const anonymous = await callerFor(t.db, { config: { MAX_LOGIN_ATTEMPTS: 50 } });
    const steps = await Promise.all(Array.from({ length: 6 }, () => challenge(user.email, anonymous)));
    const results = await Promise.allSettled(
      steps.map((step) => anonymous.auth.verifyMfa({ mfa_token: step.mfa_token, code })),
    );
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
  });

  it("a recovery code works once, also when raced, and is counted down", async () => {
    const { user, caller, recoveryCodes } = await enrolled();
    const anonymous = await callerFor(t.db);
    const [first, second] = await Promise.all([challenge(user.email), challenge(user.email)]);
    const code = recoveryCodes[0]!.toUpperCase().replace("-", " ");
    const results = await Promise.allSettled([
      anonymous.auth.verifyMfa({ mfa_token: first.mfa_token, code }),
      anonymous.auth.verifyMfa({ mfa_token: second.mfa_token, code }),
    ]);
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    expect(await caller.auth.twoFactor.status()).toMatchObject({ enabled: true, recoveryCodesLeft: 9 });
    const used = await t.db.auditLog.count({ where: { action: "auth.2fa.recovery_code_used", actorId: user.id } });
    expect(used).toBe(1);
  });

  it("five wrong codes void the challenge", async () => {
    const { user, secret } = await enrolled();
    const anonymous = await callerFor(t.db, { config: { MAX_LOGIN_ATTEMPTS: 50 } });
    const step = await challenge(user.email, anonymous);
    const right = await codeAt(secret, 1);
    const wrong = right === "000000" ? "111111" : "000000";
    for (let attempt = 0; attempt < MFA_CHALLENGE_MAX_FAILURES; attempt++) {
      await rejection(anonymous.auth.verifyMfa({ mfa_token: step.mfa_token, code: wrong }), "UNAUTHORIZED");
    }
    await rejection(anonymous.auth.verifyMfa({ mfa_token: step.mfa_token, code: right }), "UNAUTHORIZED");
    expect(await t.db.auditLog.count({ where: { action: "auth.mfa.failure", targetId: user.id } })).toBe(5);
  });

  it("wrong codes count toward the account lockout: the password step and four wrong codes lock it", async () => {
    const { user, secret } = await enrolled();
    const anonymous = await callerFor(t.db);
    const right = await codeAt(secret, 1);
    const wrong = right === "000000" ? "111111" : "000000";
    const step = await challenge(user.email, anonymous);
    for (let attempt = 0; attempt < 4; attempt++) {
      await rejection(anonymous.auth.verifyMfa({ mfa_token: step.mfa_token, code: wrong }), "UNAUTHORIZED");
    }
    const locked = await rejection(
      anonymous.auth.verifyMfa({ mfa_token: step.mfa_token, code: right }),
      "TOO_MANY_REQUESTS",
    );
    expect(locked.message).toMatch(/Too many failed sign-in attempts/);
    await rejection(anonymous.auth.login({ email: user.email, password: PASSWORD }), "TOO_MANY_REQUESTS");
    expect(await t.db.auditLog.count({ where: { action: "auth.lockout", targetId: user.id } })).toBe(1);
  });

  it("an expired or unknown challenge, or a web challenge presented as a token one, is refused alike", async () => {
    const { user, secret } = await enrolled();
    const anonymous = await callerFor(t.db);
    const step = await challenge(user.email);
    await t.db.mfaChallenge.updateMany({
      where: { userId: user.id },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    const expired = await rejection(
      anonymous.auth.verifyMfa({ mfa_token: step.mfa_token, code: await codeAt(secret, 1) }),
      "UNAUTHORIZED",
    );
    const unknown = await rejection(
      anonymous.auth.verifyMfa({ mfa_token: "mfa_unknown", code: await codeAt(secret, 1) }),
      "UNAUTHORIZED",
    );
    expect(expired.message).toBe(unknown.message);
    const bad = await rejection(anonymous.auth.verifyMfa({ mfa_token: "", code: "" }), "BAD_REQUEST");
    expect(JSON.stringify(bad.cause)).toMatch(/mfa_token/);
  });
});

describe("turning it off and resetting it", () => {
  it("disable needs the password and a code, signs out the other sessions and keeps this one", async () => {
    const { user, caller, again, secret, recoveryCodes } = await enrolled();
    const other = await challenge(user.email);
    const otherTokens = await (
      await callerFor(t.db)
    ).auth.verifyMfa({
      mfa_token: other.mfa_token,
      code: await codeAt(secret, 1),
    });
    // The newest step is used up by that sign-in: an older code is refused, a recovery code works.
    await rejection(caller.auth.twoFactor.disable({ password: "wrong", code: recoveryCodes[0]! }), "BAD_REQUEST");
    await rejection(
      caller.auth.twoFactor.disable({ password: PASSWORD, code: await codeAt(secret, -1) }),
      "BAD_REQUEST",
    );
    const result = await caller.auth.twoFactor.disable({ password: PASSWORD, code: recoveryCodes[0]! });
    expect(result).toEqual({ success: true, otherSessionsRevoked: 1 });
    expect((await (await again()).auth.me()).id).toBe(user.id);
    await rejection((await callerFor(t.db, { token: otherTokens.access_token })).auth.me(), "UNAUTHORIZED");
    expect(await caller.auth.twoFactor.status()).toMatchObject({ enabled: false, recoveryCodesLeft: 0 });
    expect(await t.db.recoveryCode.count({ where: { userId: user.id } })).toBe(0);
    expect(
      "access_token" in (await (await callerFor(t.db)).auth.login({ email: user.email, password: PASSWORD })),
    ).toBe(true);
    await mailTo(user.email, /Two-factor authentication was turned off/);
    await rejection(caller.auth.twoFactor.disable({ password: PASSWORD, code: "123456" }), "CONFLICT");
  });

  it("regenerating recovery codes (with a recovery code) voids the old ones", async () => {
    const { user, caller, recoveryCodes } = await enrolled();
    const { recoveryCodes: fresh } = await caller.auth.twoFactor.regenerateRecoveryCodes({
      password: PASSWORD,
      code: recoveryCodes[0]!,
    });
    expect(fresh).toHaveLength(10);
    expect(fresh.some((code) => recoveryCodes.includes(code))).toBe(false);
    const anonymous = await callerFor(t.db);
    await rejection(
      anonymous.auth.verifyMfa({ mfa_token: (await challenge(user.email)).mfa_token, code: recoveryCodes[1]! }),
      "UNAUTHORIZED",
    );
    await anonymous.auth.verifyMfa({ mfa_token: (await challenge(user.email)).mfa_token, code: fresh[0]! });
    await mailTo(user.email, /New two-factor recovery codes/);
  });

  it("an administrator's reset turns it off, signs the user out everywhere and mails them", async () => {
    const { user, again } = await enrolled();
    const admin = await createUser(t.db, { role: "ADMIN" });
    const { caller: adminCaller } = await signIn(t.db, admin.email);
    const view = await adminCaller.admin.resetTwoFactor({ id: user.id });
    expect(view.twoFactorEnabledAt).toBeNull();
    await rejection((await again()).auth.me(), "UNAUTHORIZED");
    expect(
      "access_token" in (await (await callerFor(t.db)).auth.login({ email: user.email, password: PASSWORD })),
    ).toBe(true);
    await mailTo(user.email, /reset by an administrator/);
    expect(await t.db.auditLog.count({ where: { action: "admin.user.reset_2fa", targetId: user.id } })).toBe(1);
    await rejection(adminCaller.admin.resetTwoFactor({ id: user.id }), "CONFLICT");
    await rejection(adminCaller.admin.resetTwoFactor({ id: "no-such-user" }), "NOT_FOUND");
    // An administrator's own second factor is turned off with the password and a code, not the role.
    const self = await enrolled({ role: "ADMIN" });
    const own = await rejection(self.caller.admin.resetTwoFactor({ id: self.user.id }), "FORBIDDEN");
    expect(own.message).toMatch(/from your profile/);
    expect(await self.caller.auth.twoFactor.status()).toMatchObject({ enabled: true });
  });

  it("accounts without two-factor authentication sign in as before", async () => {
    const user = await createUser(t.db);
    const { tokens } = await signIn(t.db, user.email);
    expect(tokens.token_type).toBe("bearer");
    await rejection((await callerFor(t.db)).auth.verifyMfa({ mfa_token: "mfa_x", code: "123456" }), "UNAUTHORIZED");
  });
});

describe("deleting an account that has two-factor authentication", () => {
  it("needs a code besides the password: none or a wrong one changes nothing", async () => {
    const { user, caller } = await enrolled();
    const missing = await rejection(caller.users.deleteMe({ password: PASSWORD }), "BAD_REQUEST");
    expect(missing.message).toMatch(/authenticator app/);
    const wrong = await rejection(caller.users.deleteMe({ password: PASSWORD, code: "000000" }), "BAD_REQUEST");
    expect(wrong.message).toMatch(/not correct/);
    expect(await t.db.user.count({ where: { id: user.id } })).toBe(1);
  });

  it("is deleted with the password and a TOTP code, and its owner is mailed a farewell", async () => {
    const { user, caller, secret } = await enrolled();
    // The enrolment used this step's code: the next step's is accepted (one step of drift).
    await caller.users.deleteMe({ password: PASSWORD, code: await codeAt(secret, 1) });
    expect(await t.db.user.count({ where: { id: user.id } })).toBe(0);
    const mail = await mailTo(user.email, /Your mastoc account was deleted/);
    expect(mail).toContain(user.username);
    expect(mail).toMatch(/\/register/);
  });

  it("is deleted with the password and a recovery code", async () => {
    const { user, caller, recoveryCodes } = await enrolled();
    await caller.users.deleteMe({ password: PASSWORD, code: recoveryCodes[0]! });
    expect(await t.db.user.count({ where: { id: user.id } })).toBe(0);
  });
});
