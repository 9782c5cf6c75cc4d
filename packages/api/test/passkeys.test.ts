// Passkeys through createCaller and the sign-in service on each database, with a software
// authenticator: registration, sign-in (two factors: no TOTP code after it), single use of each
// ceremony (also raced), origin and user-verification checks, ownership, rename and delete.
import { generate } from "otplib";
import { describe, expect, it } from "vitest";
import type { TRPCError } from "@trpc/server";
import { getConfig } from "../src/config";
import { errorDetails } from "../src/errors";
import { signInWithPasskey } from "../src/services/passkeys";
import { softwareAuthenticator } from "./authenticator";
import { callerFor, createUser, mailTo, PASSWORD, rejection, signIn, useTestDatabase } from "./support";

const t = useTestDatabase();
const meta = { ip: "203.0.113.20", userAgent: "vitest" };

/** A signed-in user with one passkey registered from `authenticator`. */
async function withPasskey(authenticator = softwareAuthenticator(getConfig().APP_URL)) {
  const user = await createUser(t.db);
  const { caller, tokens } = await signIn(t.db, user.email);
  const options = await caller.passkeys.registrationOptions();
  const passkey = await caller.passkeys.register({ name: "Laptop", response: authenticator.register(options) });
  return { user, caller, tokens, authenticator, passkey };
}

async function passkeySignIn(authenticator: ReturnType<typeof softwareAuthenticator>, origin?: string) {
  const options = await (await callerFor(t.db)).passkeys.authenticationOptions();
  return signInWithPasskey(t.db, getConfig(), authenticator.authenticate(options, origin), meta, "token");
}

describe("passkeys", () => {
  it("registers a passkey from a session (kept), lists it, mails and audits it", async () => {
    const { user, caller, tokens, passkey } = await withPasskey();
    expect(passkey).toMatchObject({ name: "Laptop", lastUsedAt: null, backedUp: false });
    expect(await caller.passkeys.list()).toEqual([passkey]);
    expect((await (await callerFor(t.db, { token: tokens.access_token })).auth.me()).id).toBe(user.id);
    await mailTo(user.email, /A passkey was added/);
    expect(await t.db.auditLog.count({ where: { action: "passkey.add", actorId: user.id } })).toBe(1);
    const stored = await t.db.passkey.findUniqueOrThrow({ where: { id: passkey.id } });
    expect(stored.publicKey.length).toBeGreaterThan(60);
  });

  it("signs in with the passkey alone, as two factors: an account with TOTP gets its session at once", async () => {
    const { user, caller, authenticator } = await withPasskey();
    const { secret } = await caller.auth.twoFactor.setup({ password: PASSWORD });
    await caller.auth.twoFactor.enable({ code: await generate({ secret }) });
    const signedIn = await passkeySignIn(authenticator);
    expect(signedIn.status).toBe("signed-in");
    expect(signedIn.user.id).toBe(user.id);
    const success = await t.db.auditLog.findFirst({
      where: { action: "auth.login.success", actorId: user.id },
      orderBy: { createdAt: "desc" },
    });
    expect(success?.changes).toMatchObject({ method: "passkey", client: "token" });
    expect((await caller.passkeys.list())[0]!.lastUsedAt).toBeInstanceOf(Date);
  });

  it("each ceremony is used once: a replayed answer is refused, and of two racing answers one wins", async () => {
    const { authenticator } = await withPasskey();
    const options = await (await callerFor(t.db)).passkeys.authenticationOptions();
    const answer = authenticator.authenticate(options);
    await signInWithPasskey(t.db, getConfig(), answer, meta, "token");
    const replay = await rejection(signInWithPasskey(t.db, getConfig(), answer, meta, "token"), "UNAUTHORIZED");
    expect(replay.message).toBe("This passkey could not sign you in");

    const raced = await (await callerFor(t.db)).passkeys.authenticationOptions();
    const same = authenticator.authenticate(raced);
    const results = await Promise.allSettled([
      signInWithPasskey(t.db, getConfig(), same, meta, "token"),
      signInWithPasskey(t.db, getConfig(), same, meta, "token"),
    ]);
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
  });

  it("refuses another origin, an authenticator that did not verify its user, and an unknown passkey", async () => {
    const { authenticator } = await withPasskey();
    await rejection(passkeySignIn(authenticator, "https://evil.example"), "UNAUTHORIZED");
    await rejection(passkeySignIn(softwareAuthenticator(getConfig().APP_URL)), "UNAUTHORIZED");

    const unverified = softwareAuthenticator(getConfig().APP_URL, { userVerified: false });
    const user = await createUser(t.db);
    const { caller } = await signIn(t.db, user.email);
    const refused = await rejection(
      caller.passkeys.register({
        name: "No PIN",
        response: unverified.register(await caller.passkeys.registrationOptions()),
      }),
      "BAD_REQUEST",
    );
    expect(JSON.stringify(refused.cause)).toContain("response");
    expect(await caller.passkeys.list()).toEqual([]);
  });

  it("a registration answers only its own user's ceremony, once", async () => {
    const authenticator = softwareAuthenticator(getConfig().APP_URL);
    const alice = await signIn(t.db, (await createUser(t.db)).email);
    const bob = await signIn(t.db, (await createUser(t.db)).email);
    const answer = authenticator.register(await alice.caller.passkeys.registrationOptions());
    await rejection(bob.caller.passkeys.register({ name: "Stolen", response: answer }), "BAD_REQUEST");
    await alice.caller.passkeys.register({ name: "Mine", response: answer });
    await rejection(alice.caller.passkeys.register({ name: "Again", response: answer }), "BAD_REQUEST");
    expect(await alice.caller.passkeys.list()).toHaveLength(1);
  });

  it("renames and deletes only one's own passkeys; a deleted passkey no longer signs in", async () => {
    const { caller, authenticator, passkey } = await withPasskey();
    const other = await signIn(t.db, (await createUser(t.db)).email);
    await rejection(other.caller.passkeys.rename({ id: passkey.id, name: "Mine now" }), "NOT_FOUND");
    await rejection(other.caller.passkeys.delete({ id: passkey.id }), "NOT_FOUND");
    const blank = await rejection(caller.passkeys.rename({ id: passkey.id, name: "  " }), "BAD_REQUEST");
    expect(JSON.stringify(blank.cause)).toContain("name");
    expect((await caller.passkeys.rename({ id: passkey.id, name: "Desk" })).name).toBe("Desk");
    await caller.passkeys.delete({ id: passkey.id });
    expect(await caller.passkeys.list()).toEqual([]);
    await rejection(passkeySignIn(authenticator), "UNAUTHORIZED");
  });

  it("refuses malformed answers with a 400 naming the field", async () => {
    const user = await createUser(t.db);
    const { caller } = await signIn(t.db, user.email);
    const error = await rejection(
      caller.passkeys.register({
        name: "Bad",
        response: {
          id: "not base64url!",
          rawId: "x",
          type: "public-key",
          response: { clientDataJSON: "", attestationObject: "" },
        },
      } as never),
      "BAD_REQUEST",
    );
    expect(Object.keys(errorDetails(error as TRPCError, { locale: "en" }).fieldErrors ?? {})).toEqual(["response.id"]);
  });

  it("confirms deleting an account with 2FA by the user's own passkey, once, instead of a code", async () => {
    const { user, caller, authenticator } = await withPasskey();
    const { secret } = await caller.auth.twoFactor.setup({ password: PASSWORD });
    await caller.auth.twoFactor.enable({ code: await generate({ secret }) });

    // Without a code or a passkey: refused, naming what is missing; nothing deleted.
    const missing = await rejection(caller.users.deleteMe({ password: PASSWORD }), "BAD_REQUEST");
    expect(Object.keys(errorDetails(missing as TRPCError, { locale: "en" }).fieldErrors ?? {})).toEqual(["code"]);
    // A sign-in ceremony's answer does not confirm (another purpose), nor does another user's passkey.
    const signInAnswer = authenticator.authenticate(await (await callerFor(t.db)).passkeys.authenticationOptions());
    const wrongPurpose = await rejection(
      caller.users.deleteMe({ password: PASSWORD, passkey: signInAnswer }),
      "BAD_REQUEST",
    );
    expect(Object.keys(errorDetails(wrongPurpose as TRPCError, { locale: "en" }).fieldErrors ?? {})).toEqual([
      "passkey",
    ]);
    const stranger = await withPasskey();
    const strangerAnswer = stranger.authenticator.authenticate(await caller.passkeys.confirmationOptions());
    await rejection(caller.users.deleteMe({ password: PASSWORD, passkey: strangerAnswer }), "BAD_REQUEST");
    expect(await t.db.user.count({ where: { id: user.id } })).toBe(1);

    // The user's own passkey answering the confirmation ceremony deletes the account.
    const answer = authenticator.authenticate(await caller.passkeys.confirmationOptions());
    expect(await caller.users.deleteMe({ password: PASSWORD, passkey: answer })).toEqual({ success: true });
    expect(await t.db.user.count({ where: { id: user.id } })).toBe(0);
  });

  it("has no confirmation ceremony for an account without a passkey", async () => {
    const user = await createUser(t.db);
    const { caller } = await signIn(t.db, user.email);
    await rejection(caller.passkeys.confirmationOptions(), "NOT_FOUND");
  });
});
