// Nothing secret leaves the server: every procedure's output is walked for password, token and
// key hashes (by field name and by the stored values themselves).
import superjson from "superjson";
import { describe, expect, it } from "vitest";
import { appRouter } from "../src/root";
import { routerProcedures } from "../src/vendor/trpc-router";
import { generate } from "otplib";
import { randomToken, sha256 } from "../src/services/tokens";
import { softwareAuthenticator } from "./authenticator";
import { getConfig } from "../src/config";
import { upsertPayload } from "../src/services/oidc-store";
import { callerFor, createUser, PASSWORD, sampleImages, signIn, useTestDatabase } from "./support";

const t = useTestDatabase();

describe("responses never carry a hash or a password", () => {
  it("walks the output of every procedure of the router", async () => {
    const admin = await createUser(t.db, { role: "ADMIN" });
    const target = await createUser(t.db);
    const { caller, tokens } = await signIn(t.db, admin.email);
    const anonymous = await callerFor(t.db);
    const climb = await caller.climbs.create({ name: "Walk", grade: "6C" });
    const key = await caller.apiKeys.create({ name: "walk" });
    await anonymous.auth.requestPasswordReset({ email: target.email });
    const name = `walk${Date.now().toString(36)}`;
    const authenticator = softwareAuthenticator(getConfig().APP_URL);
    /** A fresh user with two-factor authentication on (the clear recovery codes are answered once, here). */
    const enrolled = async () => {
      const user = await createUser(t.db);
      const session = await signIn(t.db, user.email);
      const { secret } = await session.caller.auth.twoFactor.setup({ password: PASSWORD });
      const enabled = await session.caller.auth.twoFactor.enable({ code: await generate({ secret }) });
      return { user, session, enabled };
    };

    // One call per procedure; the test fails if the router gains a procedure that is not here.
    const oauthClient = () =>
      caller.oauth.createClient({ name: "walk", redirect_uris: ["https://walk.example/cb"], type: "confidential" });
    const calls: Record<string, () => Promise<unknown>> = {
      "auth.status": () => caller.auth.status(),
      "auth.register": () =>
        anonymous.auth.register({ email: `${name}@example.com`, username: name, password: PASSWORD }),
      "auth.login": () => anonymous.auth.login({ email: target.email, password: PASSWORD }),
      "auth.refresh": () => anonymous.auth.refresh({ refresh_token: tokens.refresh_token }),
      "auth.me": () => caller.auth.me(),
      "auth.sessions": () => caller.auth.sessions(),
      "auth.passwordStrength": () => anonymous.auth.passwordStrength({ password: "correct horse" }),
      "auth.requestPasswordReset": () => anonymous.auth.requestPasswordReset({ email: target.email }),
      "auth.confirmPasswordReset": async () => {
        const user = await createUser(t.db);
        const token = randomToken();
        await t.db.passwordResetToken.create({
          data: { userId: user.id, tokenHash: sha256(token), expiresAt: new Date(Date.now() + 60_000) },
        });
        return anonymous.auth.confirmPasswordReset({ token, password: "Fresh-Crimp-Sequence-73" });
      },
      "auth.changePassword": async () => {
        const user = await createUser(t.db);
        return (await signIn(t.db, user.email)).caller.auth.changePassword({
          currentPassword: PASSWORD,
          newPassword: "Fresh-Crimp-Sequence-74",
        });
      },
      "auth.revokeSession": async () => {
        const other = await signIn(t.db, target.email);
        const sessions = await other.caller.auth.sessions();
        return other.caller.auth.revokeSession({ id: sessions[0]!.id });
      },
      "auth.requestEmailVerification": async () => {
        const user = await createUser(t.db);
        return (await signIn(t.db, user.email)).caller.auth.requestEmailVerification();
      },
      "auth.confirmEmailVerification": async () => {
        const user = await createUser(t.db);
        const token = randomToken();
        await t.db.emailToken.create({
          data: {
            userId: user.id,
            purpose: "verify",
            email: user.email,
            tokenHash: sha256(token),
            expiresAt: new Date(Date.now() + 60_000),
          },
        });
        return anonymous.auth.confirmEmailVerification({ token });
      },
      "users.changeEmail": async () => {
        const user = await createUser(t.db);
        return (await signIn(t.db, user.email)).caller.users.changeEmail({
          newEmail: `moved-${user.username}@example.com`,
          password: PASSWORD,
        });
      },
      "auth.twoFactor.status": () => caller.auth.twoFactor.status(),
      "auth.twoFactor.setup": async () => {
        const user = await createUser(t.db);
        return (await signIn(t.db, user.email)).caller.auth.twoFactor.setup({ password: PASSWORD });
      },
      "auth.twoFactor.enable": async () => (await enrolled()).enabled,
      "auth.twoFactor.disable": async () => {
        const { session, enabled } = await enrolled();
        return session.caller.auth.twoFactor.disable({ password: PASSWORD, code: enabled.recoveryCodes[0]! });
      },
      "auth.twoFactor.regenerateRecoveryCodes": async () => {
        const { session, enabled } = await enrolled();
        return session.caller.auth.twoFactor.regenerateRecoveryCodes({
          password: PASSWORD,
          code: enabled.recoveryCodes[0]!,
        });
      },
      "auth.verifyMfa": async () => {
        const { user, enabled } = await enrolled();
        const step = await anonymous.auth.login({ email: user.email, password: PASSWORD });
        if (!("mfa_token" in step)) throw new Error("expected a two-factor challenge");
        return anonymous.auth.verifyMfa({ mfa_token: step.mfa_token, code: enabled.recoveryCodes[1]! });
      },
      "admin.resetTwoFactor": async () => caller.admin.resetTwoFactor({ id: (await enrolled()).user.id }),
      "passkeys.list": () => caller.passkeys.list(),
      "passkeys.registrationOptions": () => caller.passkeys.registrationOptions(),
      "passkeys.register": async () =>
        caller.passkeys.register({
          name: "walk",
          response: authenticator.register(await caller.passkeys.registrationOptions()),
        }),
      // After passkeys.register in this walk's order: the caller has a passkey to confirm with.
      "passkeys.confirmationOptions": () => caller.passkeys.confirmationOptions(),
      "passkeys.rename": async () =>
        caller.passkeys.rename({ id: (await caller.passkeys.list())[0]!.id, name: "walked" }),
      "passkeys.delete": async () => {
        const extra = softwareAuthenticator(getConfig().APP_URL);
        const added = await caller.passkeys.register({
          name: "gone",
          response: extra.register(await caller.passkeys.registrationOptions()),
        });
        return caller.passkeys.delete({ id: added.id });
      },
      "passkeys.authenticationOptions": () => anonymous.passkeys.authenticationOptions(),
      "auth.logoutAll": async () => (await signIn(t.db, target.email)).caller.auth.logoutAll(),
      "auth.logout": async () => (await signIn(t.db, target.email)).caller.auth.logout(),
      "users.me": () => caller.users.me(),
      "users.securityActivity": () => caller.users.securityActivity(),
      "users.updateMe": () => caller.users.updateMe({ firstName: "Walker" }),
      "users.byId": () => caller.users.byId({ id: target.id }),
      "users.uploadAvatar": async () =>
        caller.users.uploadAvatar({ base64: (await sampleImages()).png.toString("base64") }),
      "users.deleteAvatar": () => caller.users.deleteAvatar(),
      "users.deleteMe": async () => {
        const doomed = await createUser(t.db);
        return (await signIn(t.db, doomed.email)).caller.users.deleteMe({ password: PASSWORD });
      },
      "admin.listUsers": () => caller.admin.listUsers({}),
      "admin.usersByIdPrefix": () => caller.admin.usersByIdPrefix({ prefix: target.id.slice(0, 6) }),
      "admin.getUser": () => caller.admin.getUser({ id: target.id }),
      "admin.userSessions": () => caller.admin.userSessions({ id: target.id }),
      "admin.userSecurityActivity": () => caller.admin.userSecurityActivity({ id: target.id }),
      "admin.revokeUserSession": async () => {
        const user = await createUser(t.db);
        await signIn(t.db, user.email);
        const [session] = await caller.admin.userSessions({ id: user.id });
        return caller.admin.revokeUserSession({ userId: user.id, sessionId: session!.id });
      },
      "admin.updateUser": () => caller.admin.updateUser({ id: target.id, lastName: "Walked" }),
      "admin.setRole": () => caller.admin.setRole({ id: target.id, role: "MODERATOR" }),
      "admin.deactivate": () => caller.admin.deactivate({ id: target.id }),
      "admin.activate": () => caller.admin.activate({ id: target.id }),
      "admin.unlock": () => caller.admin.unlock({ id: target.id }),
      "admin.verifyEmail": () => caller.admin.verifyEmail({ id: target.id }),
      "admin.stats": () => caller.admin.stats({ days: 365 }),
      "admin.deleteUser": async () => caller.admin.deleteUser({ id: (await createUser(t.db)).id }),
      "climbs.list": () => caller.climbs.list({}),
      "climbs.stats": () => caller.climbs.stats({ days: 365 }),
      "climbs.byIdPrefix": () => caller.climbs.byIdPrefix({ prefix: climb.id.slice(0, 6) }),
      "climbs.byId": () => caller.climbs.byId({ id: climb.id }),
      "climbs.create": () => caller.climbs.create({ name: "Walk 2", grade: "7A" }),
      "climbs.update": () => caller.climbs.update({ id: climb.id, name: "Walked" }),
      "climbs.delete": async () =>
        caller.climbs.delete({ id: (await caller.climbs.create({ name: "Gone", grade: "5" })).id }),
      "apiKeys.create": () => caller.apiKeys.create({ name: "walk 2" }),
      "apiKeys.list": () => caller.apiKeys.list(),
      "apiKeys.revoke": () => caller.apiKeys.revoke({ id: key.id }),
      "audit.list": () => caller.audit.list({ limit: 200 }),
      "oauth.createClient": () =>
        caller.oauth.createClient({ name: "walk", redirect_uris: ["https://walk.example/cb"], type: "confidential" }),
      "oauth.listClients": () => caller.oauth.listClients(),
      "oauth.updateClient": async () =>
        caller.oauth.updateClient({ id: (await oauthClient()).client_id, name: "walked" }),
      "oauth.deleteClient": async () => caller.oauth.deleteClient({ id: (await oauthClient()).client_id }),
      "oauth.rotateKeys": () => caller.oauth.rotateKeys(),
      "oauth.connectedApps": async () => {
        await t.db.oAuthConsent.create({
          data: { userId: admin.id, clientId: (await oauthClient()).client_id, scopes: "openid profile" },
        });
        return caller.oauth.connectedApps();
      },
      "oauth.revokeConnectedApp": async () => {
        const { client_id } = await oauthClient();
        await t.db.oAuthConsent.create({ data: { userId: admin.id, clientId: client_id, scopes: "openid" } });
        return caller.oauth.revokeConnectedApp({ clientId: client_id });
      },
      "oauth.interaction": async () => {
        const { client_id } = await oauthClient();
        await upsertPayload(
          t.db,
          "Interaction",
          "walk-uid",
          {
            params: { client_id, scope: "openid email" },
            prompt: { name: "consent" },
            session: { accountId: admin.id },
          },
          600,
        );
        return caller.oauth.interaction({ uid: "walk-uid" });
      },
    };
    expect(Object.keys(calls).sort()).toEqual(
      routerProcedures(appRouter)
        .map((procedure) => procedure.path)
        .sort(),
    );

    const outputs: string[] = [];
    for (const call of Object.values(calls)) outputs.push(JSON.stringify(superjson.serialize(await call()).json));
    const everything = outputs.join("\n");

    expect(everything).not.toMatch(
      /"(passwordHash|tokenHash|keyHash|codeHash|twoFactorSecret|twoFactorLastStep|password|sessionVersion|lastFailedLoginAt)"\s*:/,
    );
    const secrets = [
      ...(await t.db.user.findMany({ select: { passwordHash: true } })).map((row) => row.passwordHash),
      ...(await t.db.refreshToken.findMany({ select: { tokenHash: true } })).map((row) => row.tokenHash),
      ...(await t.db.apiKey.findMany({ select: { keyHash: true } })).map((row) => row.keyHash),
      ...(await t.db.passwordResetToken.findMany({ select: { tokenHash: true } })).map((row) => row.tokenHash),
      ...(await t.db.emailToken.findMany({ select: { tokenHash: true } })).map((row) => row.tokenHash),
      ...(await t.db.mfaChallenge.findMany({ select: { tokenHash: true } })).map((row) => row.tokenHash),
      ...(await t.db.recoveryCode.findMany({ select: { codeHash: true } })).map((row) => row.codeHash),
      ...(await t.db.webAuthnChallenge.findMany({ select: { challengeHash: true } })).map((row) => row.challengeHash),
      ...(await t.db.user.findMany({ select: { twoFactorSecret: true } })).map((row) => row.twoFactorSecret),
      ...(await t.db.oAuthClient.findMany({ select: { secretHash: true } })).map((row) => row.secretHash),
      ...(await t.db.oidcKey.findMany({ select: { jwk: true } })).map((row) => row.jwk),
      PASSWORD,
    ].filter((value): value is string => Boolean(value));
    expect(secrets.length).toBeGreaterThan(5);
    for (const secret of secrets) expect(everything).not.toContain(secret);
    // The API key's clear value is in the creation response only, never in a listing.
    expect(outputs.filter((output) => output.includes(key.key))).toHaveLength(0);
  });
});
