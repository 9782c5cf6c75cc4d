// The OpenID provider against the production build, on both databases, with openid-client (the
// library's certified relying party): discovery, code + PKCE, refresh and reuse detection, userinfo,
// introspection, revocation, logout, device flow, client credentials, and the hostile cases.
import * as oidc from "openid-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase, type Db } from "@mastoc/db";
import { ADMIN_EMAIL, ADMIN_PASSWORD, startPortal, webSignIn, type Portal } from "./support";
import { CookieJar, follow, type Hop } from "./support/oidc";
import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import { OIDC_PROVIDER_CHECKED_VERSION } from "../src/oidc/clients";
import { freshEnough } from "../src/oidc/freshness";

it("oidc-provider is the version apps/web/src/oidc/clients.ts was checked against (Client.compareClientSecret)", () => {
  const installed = (createRequire(import.meta.url)("oidc-provider/package.json") as { version: string }).version;
  expect(installed, "apps/web/src/oidc/clients.ts: check compareClientSecret, then update the constant").toBe(
    OIDC_PROVIDER_CHECKED_VERSION,
  );
});

it("takes a sign-in as fresh enough when made since the request began, else by prompt=login and max_age", () => {
  const began = 1_800_000_000; // the authorization request's iat, in seconds
  const at = (seconds: number) => new Date(seconds * 1000 + 999);
  const now = (began + 5) * 1000;
  const asked = (params: Record<string, unknown>) => ({ iat: began, params });
  // Made since the request began (in its second or later): fresh for any demand.
  expect(freshEnough(asked({ prompt: "login" }), at(began), now)).toBe(true);
  expect(freshEnough(asked({ prompt: "login consent", max_age: 0 }), at(began + 1), now)).toBe(true);
  // Made before it: prompt=login wants another, whatever the age.
  expect(freshEnough(asked({ prompt: "login" }), at(began - 1), now)).toBe(false);
  expect(freshEnough(asked({ prompt: "consent login" }), at(began - 1), now)).toBe(false);
  // max_age counts whole seconds from the sign-in to now: at most that many is fresh.
  expect(freshEnough(asked({ max_age: 10 }), at(began - 5), now)).toBe(true);
  expect(freshEnough(asked({ max_age: 9 }), at(began - 5), now)).toBe(false);
  expect(freshEnough(asked({ max_age: 0 }), at(began - 1), now)).toBe(false);
  // Without a demand, any live session serves.
  expect(freshEnough(asked({ prompt: "consent" }), at(began - 86_400), now)).toBe(true);
});

const PASSWORD = "Sloper-Traverse-Heel-58";
const REDIRECT = "http://127.0.0.1:8765/callback";
let counter = 0;
const uniqueName = () => `oidc${Date.now().toString(36)}${counter++}`;

describe.each(["sqlite", "postgresql"] as const)("OpenID provider (%s)", (provider) => {
  let portal: Portal;
  let db: Db;
  let adminToken: string;
  let issuer: URL;

  async function rest(method: string, path: string, json?: unknown, token = adminToken) {
    const response = await fetch(`${portal.url}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(json ? { "content-type": "application/json" } : {}) },
      body: json ? JSON.stringify(json) : undefined,
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : null, text };
  }

  async function newUser() {
    const name = uniqueName();
    const email = `${name}@example.com`;
    const registered = await fetch(`${portal.url}/api/v1/auth/register`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email, username: name, password: PASSWORD }),
    });
    expect(registered.status).toBe(201);
    const { cookie } = await webSignIn(portal.url, email, PASSWORD);
    const user = await db.user.findUniqueOrThrow({ where: { email }, select: { id: true } });
    return { id: user.id, email, name, cookie: cookie! };
  }

  async function newClient(body: Record<string, unknown>) {
    const created = await rest("POST", "/admin/oauth-clients", { name: uniqueName(), ...body });
    expect(created.status, created.text).toBe(201);
    return created.body as { client_id: string; client_secret?: string };
  }

  async function relyingParty(clientId: string, secret?: string) {
    return oidc.discovery(issuer, clientId, undefined, secret ? oidc.ClientSecretBasic(secret) : oidc.None(), {
      execute: [oidc.allowInsecureRequests],
    });
  }

  /** Code + PKCE through the provider, signed in to the portal with `cookie`. */
  async function codeFlow(config: oidc.Configuration, cookie: string, scope = "openid profile email offline_access") {
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT,
      scope,
      state,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: "S256",
      // OpenID Connect issues offline_access (a refresh token) only with prompt=consent.
      ...(scope.includes("offline_access") ? { prompt: "consent" } : {}),
    });
    const jar = new CookieJar(cookie);
    const hop = await follow(url.href, jar, REDIRECT);
    return { hop, verifier, state, jar };
  }

  beforeAll(async () => {
    portal = await startPortal({ provider });
    db = createDatabase(portal.database).db;
    issuer = new URL(`${portal.publicUrl}/oidc`);
    const login = await fetch(`${portal.url}/api/v1/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }),
    });
    adminToken = ((await login.json()) as { access_token: string }).access_token;
  }, 120_000);

  afterAll(async () => {
    await db?.$disconnect();
    await portal?.stop();
  });

  it("publishes discovery with the issuer, ES256 keys, the grants and endpoints", async () => {
    const config = await relyingParty("mastoc-cli");
    const server = config.serverMetadata();
    expect(server.issuer).toBe(issuer.href);
    expect(server.grant_types_supported).toEqual(
      expect.arrayContaining([
        "authorization_code",
        "refresh_token",
        "urn:ietf:params:oauth:grant-type:device_code",
        "client_credentials",
      ]),
    );
    expect(server.scopes_supported).toEqual(expect.arrayContaining(["openid", "profile", "email", "offline_access"]));
    expect(server.code_challenge_methods_supported).toEqual(["S256"]);
    for (const endpoint of [
      "jwks_uri",
      "userinfo_endpoint",
      "introspection_endpoint",
      "revocation_endpoint",
      "end_session_endpoint",
      "device_authorization_endpoint",
    ] as const) {
      expect(server[endpoint], endpoint).toMatch(new RegExp(`^${issuer.href}/`));
    }
    const jwks = (await (await fetch(server.jwks_uri!)).json()) as { keys: { kty: string; alg: string; d?: string }[] };
    expect(jwks.keys.length).toBeGreaterThan(0);
    for (const key of jwks.keys) {
      expect(key).toMatchObject({ kty: "EC", alg: "ES256" });
      expect(key.d).toBeUndefined();
    }
    const stored = await db.oidcKey.findMany({ select: { jwk: true } });
    expect(stored.every((row) => !row.jwk.includes('"d"'))).toBe(true);
  });

  it("signs a portal user in with code + PKCE, issues ID, access and refresh tokens, and the API accepts the access token", async () => {
    const user = await newUser();
    const client = await newClient({ redirect_uris: [REDIRECT], type: "public", first_party: true });
    const config = await relyingParty(client.client_id);
    const { hop, verifier, state } = await codeFlow(config, user.cookie);
    expect(hop.location, hop.body).toMatch(/^http:\/\/127\.0\.0\.1:8765\/callback\?code=/);
    const tokens = await oidc.authorizationCodeGrant(config, new URL(hop.location!), {
      pkceCodeVerifier: verifier,
      expectedState: state,
    });
    const claims = tokens.claims()!;
    expect(claims.sub).toBe(user.id);
    expect(tokens.refresh_token).toBeTruthy();

    const info = await oidc.fetchUserInfo(config, tokens.access_token, user.id);
    expect(info).toMatchObject({
      sub: user.id,
      email: user.email,
      preferred_username: user.name,
      role: "USER",
      email_verified: false,
    });

    // The mastoc API: tRPC and REST both accept it as the user.
    const me = await fetch(`${portal.url}/api/v1/auth/me`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { id: string }).id).toBe(user.id);
    const trpc = await fetch(`${portal.url}/api/trpc/auth.me`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    expect(trpc.status).toBe(200);

    // One AuthSession, of kind oidc, for this client; revoking it ends the tokens at once.
    const sessions = await db.authSession.findMany({
      where: { userId: user.id, kind: "oidc" },
      select: { id: true, clientId: true },
    });
    expect(sessions).toEqual([{ id: expect.any(String), clientId: client.client_id }]);
    const audit = await db.auditLog.count({ where: { action: "oauth.grant", actorId: user.id } });
    expect(audit).toBe(1);

    // Refresh: rotated; the old refresh token presented again is reuse, which ends the grant.
    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    await expect(oidc.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({
      error: "invalid_grant",
    });
    await expect(oidc.refreshTokenGrant(config, refreshed.refresh_token!)).rejects.toMatchObject({
      error: "invalid_grant",
    });
    const introspected = await oidc.tokenIntrospection(config, refreshed.access_token);
    expect(introspected.active).toBe(false);
    const after = await fetch(`${portal.url}/api/v1/auth/me`, {
      headers: { authorization: `Bearer ${refreshed.access_token}` },
    });
    expect(after.status).toBe(401);
  });

  it("asks for a fresh sign-in for prompt=login and an exceeded max_age, and auth_time is when the user signed in", async () => {
    const user = await newUser();
    const client = await newClient({ redirect_uris: [REDIRECT], type: "public", first_party: true });
    const config = await relyingParty(client.client_id);
    const webSession = () =>
      db.authSession.findFirstOrThrow({
        where: { userId: user.id, kind: "web", revokedAt: null },
        select: { id: true, createdAt: true },
      });
    // The browser's portal session was signed in to an hour ago.
    const hourAgo = new Date(Date.now() - 3_600_000);
    const first = await webSession();
    await db.authSession.update({ where: { id: first.id }, data: { createdAt: hourAgo } });
    const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

    const jar = new CookieJar(user.cookie);
    const authorize = async (params: Record<string, string>) => {
      const verifier = oidc.randomPKCECodeVerifier();
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: REDIRECT,
        scope: "openid",
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: "S256",
        ...params,
      });
      return { hop: await follow(url.href, jar, REDIRECT), verifier };
    };
    const idToken = async ({ hop, verifier }: Awaited<ReturnType<typeof authorize>>) => {
      expect(hop.location, hop.body).toMatch(/^http:\/\/127\.0\.0\.1:8765\/callback\?code=/);
      const tokens = await oidc.authorizationCodeGrant(config, new URL(hop.location!), { pkceCodeVerifier: verifier });
      return tokens.claims()!;
    };
    /** The portal's sign-in page asked for a fresh sign-in; signing in there goes on to the client. */
    const signInAgain = async (hop: Hop) => {
      const page = new URL(hop.url);
      expect(page.pathname).toBe("/login");
      expect(page.searchParams.get("reauth")).toBe("1");
      expect(hop.status).toBe(200);
      expect(hop.body).toContain("confirm it is you");
      const before = new Date();
      const { cookie } = await webSignIn(portal.url, user.email, PASSWORD, jar.header());
      jar.add([cookie!]);
      const next = await follow(new URL(page.searchParams.get("next")!, portal.url).href, jar, REDIRECT);
      return { next, before };
    };

    // A sign-in an hour old answers a max_age of a day: no sign-in asked, and auth_time says when it was.
    const day = await idToken(await authorize({ max_age: "86400" }));
    expect(day.sub).toBe(user.id);
    expect(day.auth_time).toBe(seconds(hourAgo));

    // Not a max_age of ten minutes: the portal asks to sign in again, and the new sign-in replaces
    // the browser's old session.
    const tenMinutes = await authorize({ max_age: "600" });
    const { next, before } = await signInAgain(tenMinutes.hop);
    const fresh = await idToken({ hop: next, verifier: tenMinutes.verifier });
    expect(fresh.auth_time).toBeGreaterThanOrEqual(seconds(before));
    expect(fresh.auth_time).toBeLessThanOrEqual(seconds(new Date()));
    expect(
      await db.authSession.findUniqueOrThrow({ where: { id: first.id }, select: { revokedReason: true } }),
    ).toEqual({
      revokedReason: "replaced",
    });
    const second = await webSession();
    expect(second.id).not.toBe(first.id);
    expect(fresh.auth_time).toBe(seconds(second.createdAt));

    // prompt=login asks again whatever the session's age, even with the provider's own session.
    await db.authSession.update({ where: { id: second.id }, data: { createdAt: hourAgo } });
    const login = await authorize({ prompt: "login" });
    const again = await signInAgain(login.hop);
    const third = await idToken({ hop: again.next, verifier: login.verifier });
    expect(third.auth_time).toBeGreaterThanOrEqual(seconds(again.before));
    expect((await webSession()).id).not.toBe(second.id);
  });

  it("introspects and revokes; revocation and deactivation are immediate", async () => {
    const user = await newUser();
    const client = await newClient({ redirect_uris: [REDIRECT], type: "confidential", first_party: true });
    expect(client.client_secret).toMatch(/^mcs_/);
    const stored = await db.oAuthClient.findUniqueOrThrow({
      where: { id: client.client_id },
      select: { secretHash: true },
    });
    expect(stored.secretHash).not.toContain(client.client_secret);
    const config = await relyingParty(client.client_id, client.client_secret);
    const { hop, verifier, state } = await codeFlow(config, user.cookie);
    const tokens = await oidc.authorizationCodeGrant(config, new URL(hop.location!), {
      pkceCodeVerifier: verifier,
      expectedState: state,
    });

    expect(await oidc.tokenIntrospection(config, tokens.access_token)).toMatchObject({
      active: true,
      sub: user.id,
      client_id: client.client_id,
    });
    await oidc.tokenRevocation(config, tokens.refresh_token!);
    expect((await oidc.tokenIntrospection(config, tokens.refresh_token!)).active).toBe(false);

    // A second sign-in, then the administrator deactivates the user: refused at once.
    const second = await codeFlow(config, (await webSignIn(portal.url, user.email, PASSWORD)).cookie!);
    const fresh = await oidc.authorizationCodeGrant(config, new URL(second.hop.location!), {
      pkceCodeVerifier: second.verifier,
      expectedState: second.state,
    });
    const deactivated = await rest("PUT", `/admin/users/${user.id}/deactivate`);
    expect([200, 204]).toContain(deactivated.status);
    expect((await oidc.tokenIntrospection(config, fresh.access_token)).active).toBe(false);
    const me = await fetch(`${portal.url}/api/v1/auth/me`, {
      headers: { authorization: `Bearer ${fresh.access_token}` },
    });
    expect(me.status).toBe(401);
  });

  it("ends the tokens at RP-initiated logout", async () => {
    const user = await newUser();
    const client = await newClient({ redirect_uris: [REDIRECT], type: "confidential", first_party: true });
    const config = await relyingParty(client.client_id, client.client_secret);
    const { hop, verifier, state, jar } = await codeFlow(config, user.cookie, "openid profile");
    const tokens = await oidc.authorizationCodeGrant(config, new URL(hop.location!), {
      pkceCodeVerifier: verifier,
      expectedState: state,
    });
    expect((await oidc.tokenIntrospection(config, tokens.access_token)).active).toBe(true);

    const logoutUrl = oidc.buildEndSessionUrl(config, { id_token_hint: tokens.id_token! });
    const confirm = await follow(logoutUrl.href, jar, "http://never");
    expect(confirm.status).toBe(200);
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(confirm.body)![1]!;
    const done = await follow(`${issuer.href}/session/end/confirm`, jar, "http://never", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: portal.publicUrl },
      body: new URLSearchParams({ xsrf, logout: "yes" }),
    });
    expect(done.status).toBe(200);
    expect((await oidc.tokenIntrospection(config, tokens.access_token)).active).toBe(false);
  });

  it("refuses unregistered redirect URIs, missing or wrong verifiers, and a reused code (revoking the grant)", async () => {
    const user = await newUser();
    const client = await newClient({ redirect_uris: [REDIRECT], type: "public", first_party: true });
    const config = await relyingParty(client.client_id);
    for (const redirect of [
      `${REDIRECT}/extra`,
      `${REDIRECT}x`,
      "http://127.0.0.1:8765/callback?x=1",
      "https://evil.example/callback",
    ]) {
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: redirect,
        scope: "openid",
        code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()),
        code_challenge_method: "S256",
      });
      const hop = await follow(url.href, new CookieJar(user.cookie), "http://never");
      expect(hop.status, redirect).toBe(400);
      expect(hop.body).toContain("redirect_uri");
      expect(hop.body).not.toMatch(/\bat .+\.js:\d+/);
    }
    // No PKCE at all: refused for a public client.
    const noPkce = new URL(oidc.buildAuthorizationUrl(config, { redirect_uri: REDIRECT, scope: "openid" }));
    const refused = await follow(noPkce.href, new CookieJar(user.cookie), REDIRECT);
    expect(new URL(refused.location!).searchParams.get("error")).toBe("invalid_request");

    const wrong = await codeFlow(config, user.cookie);
    await expect(
      oidc.authorizationCodeGrant(config, new URL(wrong.hop.location!), {
        pkceCodeVerifier: oidc.randomPKCECodeVerifier(),
        expectedState: wrong.state,
      }),
    ).rejects.toMatchObject({ error: "invalid_grant" });

    const { hop, verifier, state } = await codeFlow(config, user.cookie);
    const tokens = await oidc.authorizationCodeGrant(config, new URL(hop.location!), {
      pkceCodeVerifier: verifier,
      expectedState: state,
    });
    await expect(
      oidc.authorizationCodeGrant(config, new URL(hop.location!), { pkceCodeVerifier: verifier, expectedState: state }),
    ).rejects.toMatchObject({ error: "invalid_grant" });
    expect((await oidc.tokenIntrospection(config, tokens.access_token)).active).toBe(false);
  });

  it("lets exactly one of two concurrent exchanges of a code win", async () => {
    const user = await newUser();
    const client = await newClient({ redirect_uris: [REDIRECT], type: "public", first_party: true });
    const config = await relyingParty(client.client_id);
    const { hop, verifier } = await codeFlow(config, user.cookie);
    const code = new URL(hop.location!).searchParams.get("code")!;
    const exchange = () =>
      fetch(config.serverMetadata().token_endpoint!, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          grant_type: "authorization_code",
          code,
          redirect_uri: REDIRECT,
          code_verifier: verifier,
          client_id: client.client_id,
        }),
      });
    const answers = await Promise.all([exchange(), exchange(), exchange()]);
    const statuses = answers.map((answer) => answer.status).sort();
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    for (const answer of answers.filter((answer) => answer.status !== 200)) {
      expect(answer.status).toBe(400);
      expect(await answer.json()).toMatchObject({ error: "invalid_grant", error_description: expect.any(String) });
    }
  });

  it("asks a third-party client's consent once per scope set, and a withdrawn consent ends its tokens", async () => {
    const user = await newUser();
    const client = await newClient({ redirect_uris: [REDIRECT], type: "public" });
    const config = await relyingParty(client.client_id);
    const first = await codeFlow(config, user.cookie, "openid profile");
    expect(first.hop.status).toBe(200);
    expect(first.hop.url).toContain("/oauth/consent?uid=");
    expect(first.hop.body).toContain(user.email);
    const uid = new URL(first.hop.url).searchParams.get("uid")!;
    const continued = await follow(`${portal.url}/oidc/interaction/${uid}/confirm`, first.jar, REDIRECT, {
      method: "POST",
      headers: { origin: portal.publicUrl },
    });
    const next = /http-equiv="refresh" content="0;url=([^"]+)"/.exec(continued.body)![1]!.replace(/&#38;/g, "&");
    const allowed = await follow(next, first.jar, REDIRECT);
    expect(allowed.location).toMatch(/^http:\/\/127\.0\.0\.1:8765\/callback\?code=/);
    const tokens = await oidc.authorizationCodeGrant(config, new URL(allowed.location!), {
      pkceCodeVerifier: first.verifier,
      expectedState: first.state,
    });

    // Same scopes again: no question. More scopes: asked again.
    const again = await codeFlow(config, user.cookie, "openid profile");
    expect(again.hop.location).toMatch(/callback\?code=/);
    const more = await codeFlow(config, user.cookie, "openid profile email");
    expect(more.hop.url).toContain("/oauth/consent?uid=");

    // A cross-site POST is refused.
    const moreUid = new URL(more.hop.url).searchParams.get("uid")!;
    const forged = await follow(`${portal.url}/oidc/interaction/${moreUid}/confirm`, more.jar, REDIRECT, {
      method: "POST",
      headers: { origin: "https://evil.example" },
    });
    expect(forged.status).toBe(403);

    const apps = await fetch(`${portal.url}/api/trpc/oauth.connectedApps`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    expect(JSON.stringify(await apps.json())).toContain(client.client_id);
    const withdraw = await fetch(`${portal.url}/api/trpc/oauth.revokeConnectedApp`, {
      method: "POST",
      headers: { cookie: user.cookie, "content-type": "application/json" },
      body: JSON.stringify({ json: { clientId: client.client_id } }),
    });
    expect(withdraw.status).toBe(200);
    expect((await oidc.tokenIntrospection(config, tokens.access_token)).active).toBe(false);
    const me = await fetch(`${portal.url}/api/v1/auth/me`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    expect(me.status).toBe(401);
  });

  it("runs the device flow: approved by the signed-in user while the client polls", async () => {
    const user = await newUser();
    const config = await relyingParty("mastoc-cli");
    const device = await oidc.initiateDeviceAuthorization(config, { scope: "openid profile offline_access" });
    expect(device.verification_uri).toBe(`${issuer.href}/device`);
    expect(device.user_code).toMatch(/^[A-Z]{4}-[A-Z]{4}$/);
    // Polling too fast is told to slow down.
    const poll = () =>
      fetch(config.serverMetadata().token_endpoint!, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          grant_type: "urn:ietf:params:oauth:grant-type:device_code",
          device_code: device.device_code,
          client_id: "mastoc-cli",
        }),
      });
    const firstPoll = (await (await poll()).json()) as { error: string };
    expect(firstPoll.error).toBe("authorization_pending");
    const tooFast = (await (await poll()).json()) as { error: string };
    expect(tooFast.error).toBe("slow_down");

    const polling = oidc.pollDeviceAuthorizationGrant(config, device);
    await approveDevice(user.cookie, device.user_code);
    const tokens = await polling;
    expect(tokens.claims()!.sub).toBe(user.id);
    const me = await fetch(`${portal.url}/api/v1/auth/me`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    expect(me.status).toBe(200);
  }, 60_000);

  it("refuses a wrong, a denied and a reused device code", async () => {
    const user = await newUser();
    const config = await relyingParty("mastoc-cli");
    const jar = new CookieJar(user.cookie);
    const form = await follow(`${portal.url}/device`, jar, "http://never");
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(form.body)![1]!;
    const wrong = await follow(`${portal.url}/oidc/device`, jar, "http://never", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ xsrf, user_code: "BBBB-BBBB" }),
    });
    expect(wrong.body).toContain("That code is wrong or has expired");

    const device = await oidc.initiateDeviceAuthorization(config, { scope: "openid" });
    await approveDevice(user.cookie, device.user_code, { deny: true });
    await expect(oidc.pollDeviceAuthorizationGrant(config, device)).rejects.toMatchObject({ error: "access_denied" });
    // An expired device code is answered expired_token.
    const late = await oidc.initiateDeviceAuthorization(config, { scope: "openid" });
    const lateKey = createHash("sha256").update(`DeviceCode:${late.device_code}`).digest("hex");
    const row = await db.oidcPayload.findUniqueOrThrow({ where: { key: lateKey }, select: { payload: true } });
    await db.oidcPayload.update({
      where: { key: lateKey },
      data: {
        expiresAt: new Date(Date.now() - 1000),
        payload: JSON.stringify({ ...JSON.parse(row.payload), exp: Math.floor(Date.now() / 1000) - 1 }),
      },
    });
    const expired = await fetch(config.serverMetadata().token_endpoint!, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "urn:ietf:params:oauth:grant-type:device_code",
        device_code: late.device_code,
        client_id: "mastoc-cli",
      }),
    });
    expect(expired.status).toBe(400);
    expect(await expired.json()).toMatchObject({ error: "expired_token" });
    // The code was used: entering it again says so.
    const reused = await enterDeviceCode(user.cookie, device.user_code);
    expect(reused.body).toContain("That code is wrong or has expired");
  }, 60_000);

  it("issues client credentials tokens to confidential service clients only", async () => {
    const service = await newClient({ redirect_uris: [], type: "confidential", grant_types: ["client_credentials"] });
    const config = await relyingParty(service.client_id, service.client_secret);
    const tokens = await oidc.clientCredentialsGrant(config, {});
    expect(tokens.access_token).toBeTruthy();
    expect((await oidc.tokenIntrospection(config, tokens.access_token)).active).toBe(true);
    // Not a user: the mastoc API does not take it.
    const me = await fetch(`${portal.url}/api/v1/auth/me`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    expect(me.status).toBe(401);
    // A wrong secret is a generic invalid_client.
    const wrong = await fetch(config.serverMetadata().token_endpoint!, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        authorization: `Basic ${Buffer.from(`${service.client_id}:mcs_wrong`).toString("base64")}`,
      },
      body: "grant_type=client_credentials",
    });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({
      error: "invalid_client",
      error_description: "client authentication failed",
    });
    const refusedPublic = await rest("POST", "/admin/oauth-clients", {
      name: "x",
      redirect_uris: [],
      type: "public",
      grant_types: ["client_credentials"],
    });
    expect(refusedPublic.status).toBe(422);
  });

  it("validates clients: exact redirect URIs, http only on loopback, clear errors", async () => {
    for (const uri of [
      "http://example.com/cb",
      "http://localhost/cb",
      "ftp://x/y",
      "https://x.example/cb#frag",
      "not a url",
    ]) {
      const answer = await rest("POST", "/admin/oauth-clients", { name: "bad", redirect_uris: [uri], type: "public" });
      expect(answer.status, uri).toBe(422);
      expect(answer.text).toContain("redirect_uris");
    }
    // The same refusal in the caller's language, per field.
    const french = await fetch(`${portal.url}/api/v1/admin/oauth-clients`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${adminToken}`,
        "content-type": "application/json",
        "accept-language": "fr-FR,fr;q=0.9",
      },
      body: JSON.stringify({ name: "bad", redirect_uris: ["http://example.com/cb"], type: "public" }),
    });
    expect(french.status).toBe(422);
    expect(await french.text()).toContain(
      "http://example.com/cb ne peut utiliser http que sur une adresse de bouclage (127.0.0.1 ou [::1])",
    );
    const ok = await rest("POST", "/admin/oauth-clients", {
      name: "ok",
      redirect_uris: ["http://[::1]/cb", "https://app.example/cb"],
      type: "public",
    });
    expect(ok.status).toBe(201);
    expect(ok.body).not.toHaveProperty("client_secret");
    const id = (ok.body as { client_id: string }).client_id;
    const list = await rest("GET", "/admin/oauth-clients");
    expect(JSON.stringify(list.body)).toContain(id);
    const patched = await rest("PATCH", `/admin/oauth-clients/${id}`, { name: "renamed" });
    expect(patched.body).toMatchObject({ name: "renamed" });
    expect((await rest("DELETE", `/admin/oauth-clients/${id}`)).status).toBe(204);
    expect((await rest("DELETE", "/admin/oauth-clients/mastoc-cli")).status).toBe(403);
    const bogus = await fetch(`${portal.url}/oidc/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "grant_type=nonsense",
    });
    expect(bogus.status).toBe(400);
    expect(await bogus.json()).toMatchObject({ error: expect.any(String), error_description: expect.any(String) });
  });

  it("writes its own pages in the reader's language: the cookie, else Accept-Language", async () => {
    const error = await fetch(`${issuer.href}/auth?client_id=nobody&response_type=code&scope=openid`, {
      headers: { "accept-language": "fr-FR,fr;q=0.9" },
    });
    const errorPage = await error.text();
    expect(errorPage).toContain('<html lang="fr">');
    expect(errorPage).toContain("Échec de la connexion");
    const signedOut = await fetch(`${issuer.href}/session/end/success`, {
      headers: { cookie: "locale=fr", "accept-language": "en" },
    });
    const signedOutPage = await signedOut.text();
    expect(signedOutPage).toContain('<html lang="fr">');
    expect(signedOutPage).toContain("Vous êtes déconnecté.");
    const english = await (
      await fetch(`${issuer.href}/session/end/success`, { headers: { "accept-language": "en" } })
    ).text();
    expect(english).toContain('<html lang="en">');
    expect(english).toContain("You are signed out.");
  });

  async function enterDeviceCode(cookie: string, userCode: string) {
    const jar = new CookieJar(cookie);
    const form = await follow(`${portal.url}/device?user_code=${userCode}`, jar, "http://never");
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(form.body)![1]!;
    const hop = await follow(`${portal.url}/oidc/device`, jar, "http://never", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ xsrf, user_code: userCode }),
    });
    return { ...hop, jar };
  }

  /** The user enters the code, sees the confirmation, and clicks Allow (or Cancel). */
  async function approveDevice(cookie: string, userCode: string, { deny = false } = {}) {
    const confirmPage = await enterDeviceCode(cookie, userCode);
    expect(confirmPage.body).toContain(userCode);
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(confirmPage.body)![1]!;
    const fields: Record<string, string> = { xsrf, user_code: userCode, confirm: "yes" };
    if (deny) fields.abort = "yes";
    const done = await follow(`${portal.url}/oidc/device`, confirmPage.jar, "http://never", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(fields),
    });
    expect(done.status, done.body).toBe(200);
    return done;
  }
});
