// Email verification and email change, through the outbox (real .eml files): single-use hashed
// links, voiding, rate limits, races on the same link and on the same address, and the
// REQUIRE_VERIFIED_EMAIL sign-in rule.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { getConfig } from "../src/config";
import { sha256 } from "../src/services/tokens";
import { callerFor, createUser, linkIn, mailTo, PASSWORD, rejection, signIn, unique, useTestDatabase } from "./support";

const t = useTestDatabase();

async function register() {
  const name = unique("mail");
  const email = `${name}@example.com`;
  const user = await (await callerFor(t.db)).auth.register({ email, username: name, password: PASSWORD });
  return { ...user, email };
}

/**
 * The link of the newest verification mail to `email`, once `count` have been sent. Mail is written
 * in the background, so files may land out of order: the newest is the one whose link is still live.
 */
async function verificationLink(email: string, count = 1) {
  await mailTo(email, /Verify your mastoc email address/, { count });
  const live = await t.db.emailToken.findMany({ where: { email, purpose: "verify", usedAt: null } });
  const outbox = join(getConfig().dataDir, "outbox");
  for (const file of readdirSync(outbox)) {
    const raw = readFileSync(join(outbox, file), "utf8");
    if (!raw.includes(`To: ${email}`) || !/Verify your mastoc email address/.test(raw)) continue;
    const link = await linkIn("verify-email", raw);
    if (live.some((token) => token.tokenHash === sha256(link.token))) return link;
  }
  throw new Error(`no live verification link for ${email}`);
}

describe("email verification", () => {
  it("mails a hashed single-use link on registration that verifies the address once", async () => {
    const user = await register();
    expect(user.emailVerified).toBeNull();
    const { base, token } = await verificationLink(user.email);
    expect(base).toBe(`${getConfig().APP_URL}/verify-email?token=`);
    expect(Buffer.from(token, "base64url").length).toBe(32);
    const stored = await t.db.emailToken.findFirstOrThrow({ where: { userId: user.id } });
    expect(stored.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    const lifetime = stored.expiresAt.getTime() - stored.createdAt.getTime();
    expect(Math.abs(lifetime - 24 * 3600 * 1000)).toBeLessThan(60_000);

    const anonymous = await callerFor(t.db);
    const verified = await anonymous.auth.confirmEmailVerification({ token });
    expect(verified.id).toBe(user.id);
    expect(verified.emailVerified).toBeInstanceOf(Date);
    const again = await rejection(anonymous.auth.confirmEmailVerification({ token }), "BAD_REQUEST");
    expect(again.message).toMatch(/invalid, has already been used or has expired/);
    const audit = await t.db.auditLog.findMany({ where: { targetId: user.id, action: "auth.email.verify" } });
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit)).not.toContain(token);
  });

  it("a resend voids the older link; a verified account cannot ask again; at most 5 an hour", async () => {
    const user = await register();
    const first = await verificationLink(user.email);
    const { caller } = await signIn(t.db, user.email);
    expect(await caller.auth.requestEmailVerification()).toEqual({ success: true, sentTo: user.email });
    const second = await verificationLink(user.email, 2);
    expect(second.token).not.toBe(first.token);
    await rejection((await callerFor(t.db)).auth.confirmEmailVerification({ token: first.token }), "BAD_REQUEST");

    // Registration used one of the hour's five links; four more are allowed, the next is refused.
    for (let sent = 3; sent <= 5; sent++) await caller.auth.requestEmailVerification();
    const limited = await rejection(caller.auth.requestEmailVerification(), "TOO_MANY_REQUESTS");
    expect(limited.message).toMatch(/Too many verification emails/);

    const latest = await verificationLink(user.email, 5);
    await (await callerFor(t.db)).auth.confirmEmailVerification({ token: latest.token });
    // The next request sees the verified account (each request resolves its caller afresh).
    const { caller: later } = await signIn(t.db, user.email);
    await rejection(later.auth.requestEmailVerification(), "CONFLICT");
  });

  it("concurrent resends leave exactly one live link: each voids the one before it", async () => {
    const user = await register();
    const { caller } = await signIn(t.db, user.email);
    // Registration used one of the hour's five links: four resends at once are all within budget.
    const results = await Promise.allSettled(Array.from({ length: 4 }, () => caller.auth.requestEmailVerification()));
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(4);
    expect(await t.db.emailToken.count({ where: { userId: user.id, purpose: "verify" } })).toBe(5);
    expect(await t.db.emailToken.count({ where: { userId: user.id, purpose: "verify", usedAt: null } })).toBe(1);
  });

  it("concurrent uses of one link verify once", async () => {
    const user = await register();
    const { token } = await verificationLink(user.email);
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, async () => (await callerFor(t.db)).auth.confirmEmailVerification({ token })),
    );
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    expect(await t.db.auditLog.count({ where: { targetId: user.id, action: "auth.email.verify" } })).toBe(1);
  });

  it("refuses expired, unknown and malformed tokens, naming the field", async () => {
    const user = await register();
    const { token } = await verificationLink(user.email);
    await t.db.emailToken.updateMany({ where: { userId: user.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const anonymous = await callerFor(t.db);
    for (const bad of [token, "unknown-token", "x".repeat(600), ""]) {
      const error = await rejection(anonymous.auth.confirmEmailVerification({ token: bad }), "BAD_REQUEST");
      expect(JSON.stringify(error.cause ?? error.message)).toMatch(/token/);
    }
    expect((await t.db.user.findUniqueOrThrow({ where: { id: user.id } })).emailVerified).toBeNull();
  });
});

describe("email change", () => {
  it("changes the address only when the link sent to the new one is used, notifying the old one", async () => {
    const user = await register();
    const { caller } = await signIn(t.db, user.email);
    const newEmail = `${unique("new")}@example.com`;
    expect(await caller.users.changeEmail({ newEmail: newEmail.toUpperCase(), password: PASSWORD })).toEqual({
      success: true,
      sentTo: newEmail,
    });
    const notice = await mailTo(user.email, /A change of your mastoc email address was requested/);
    expect(notice).toContain(newEmail);
    expect((await t.db.user.findUniqueOrThrow({ where: { id: user.id } })).email).toBe(user.email);

    const { token } = await linkIn("verify-email", await mailTo(newEmail, /Confirm your new mastoc email address/));
    const changed = await (await callerFor(t.db)).auth.confirmEmailVerification({ token });
    expect(changed).toMatchObject({ email: newEmail, emailVerified: expect.any(Date) });
    // The old address no longer signs in; the new one does.
    await rejection(signIn(t.db, user.email), "UNAUTHORIZED");
    await signIn(t.db, newEmail);
    const audit = await t.db.auditLog.findFirstOrThrow({ where: { targetId: user.id, action: "user.email.change" } });
    expect(audit.changes).toEqual({ from: user.email, to: newEmail });
  });

  it("refuses a wrong password, the same address, a taken address, and bad input, naming the field", async () => {
    const user = await register();
    const other = await createUser(t.db);
    const { caller } = await signIn(t.db, user.email);
    const wrong = await rejection(
      caller.users.changeEmail({ newEmail: `${unique()}@example.com`, password: "Wrong-Password-1" }),
      "BAD_REQUEST",
    );
    expect(JSON.stringify(wrong.cause)).toContain("password");
    await rejection(caller.users.changeEmail({ newEmail: user.email, password: PASSWORD }), "BAD_REQUEST");
    const taken = await rejection(caller.users.changeEmail({ newEmail: other.email, password: PASSWORD }), "CONFLICT");
    expect(taken.message).toBe("An account with this email already exists");
    await rejection(caller.users.changeEmail({ newEmail: "not-an-email", password: PASSWORD }), "BAD_REQUEST");
    expect(await t.db.emailToken.count({ where: { userId: user.id, purpose: "change" } })).toBe(0);
  });

  it("refuses the link (409) when the address was taken meanwhile, without using it up", async () => {
    const user = await register();
    const { caller } = await signIn(t.db, user.email);
    const newEmail = `${unique("race")}@example.com`;
    await caller.users.changeEmail({ newEmail, password: PASSWORD });
    const { token } = await linkIn("verify-email", await mailTo(newEmail, /Confirm your new mastoc email address/));
    const squatter = await createUser(t.db, { email: newEmail });
    const conflict = await rejection((await callerFor(t.db)).auth.confirmEmailVerification({ token }), "CONFLICT");
    expect(conflict.message).toBe("An account with this email already exists");
    expect((await t.db.user.findUniqueOrThrow({ where: { id: user.id } })).email).toBe(user.email);
    await t.db.user.delete({ where: { id: squatter.id } });
    expect((await (await callerFor(t.db)).auth.confirmEmailVerification({ token })).email).toBe(newEmail);
  });

  it("two accounts racing to the same address: exactly one gets it", async () => {
    const address = `${unique("contested")}@example.com`;
    const tokens: string[] = [];
    for (let index = 0; index < 2; index++) {
      const user = await register();
      await (await signIn(t.db, user.email)).caller.users.changeEmail({ newEmail: address, password: PASSWORD });
      const mail = await mailTo(address, /Confirm your new mastoc email address/, { count: index + 1 });
      tokens.push((await linkIn("verify-email", mail)).token);
    }
    expect(new Set(tokens).size).toBe(2);
    const results = await Promise.allSettled(
      tokens.map(async (token) => (await callerFor(t.db)).auth.confirmEmailVerification({ token })),
    );
    expect(results.map((result) => result.status).sort()).toEqual(["fulfilled", "rejected"]);
    expect(await t.db.user.count({ where: { email: address } })).toBe(1);
  });
});

describe("REQUIRE_VERIFIED_EMAIL", () => {
  const requiring = { config: { REQUIRE_VERIFIED_EMAIL: true } };

  it("refuses an unverified account's sign-in with 403 and mails a new link; a verified one signs in", async () => {
    const user = await register();
    const first = await verificationLink(user.email);
    const refused = await rejection(signIn(t.db, user.email, PASSWORD, requiring), "FORBIDDEN");
    expect(refused.message).toMatch(/Verify your email address to sign in/);
    const fresh = await verificationLink(user.email, 2);
    expect(fresh.token).not.toBe(first.token);
    expect(await t.db.authSession.count({ where: { userId: user.id } })).toBe(0);
    // A wrong password stays the generic failure: nothing is said about verification.
    await rejection(signIn(t.db, user.email, "Wrong-Password-1", requiring), "UNAUTHORIZED");

    await (await callerFor(t.db)).auth.confirmEmailVerification({ token: fresh.token });
    const { tokens } = await signIn(t.db, user.email, PASSWORD, requiring);
    expect(tokens.access_token).toBeTruthy();
  });

  it("is off by default: unverified accounts sign in", async () => {
    const user = await register();
    expect((await signIn(t.db, user.email)).tokens.access_token).toBeTruthy();
  });
});
