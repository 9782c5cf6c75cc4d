// Session security over real HTTP against the production build, on SQLite and PostgreSQL: what a client
// (browser cookie, bearer token, API key) sees when sessions are revoked or attacked.
import { SignJWT, decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  httpStatusOf,
  PORTAL_JWT_SECRET,
  resetLinkIn,
  startMailCatcher,
  startPortal,
  trpcClient,
  webSignIn,
  type MailCatcher,
  type Portal,
  tokensOf,
} from "./support";

const PASSWORD = "Dyno-Campus-Board-Lock-31";
const NEW_PASSWORD = "Heel-Hook-Roof-Finish-84";
let counter = 0;
const uniqueName = () => `sec${Date.now().toString(36)}${counter++}`;

describe.each(["sqlite", "postgresql"] as const)("security over HTTP (%s)", (provider) => {
  let portal: Portal;
  let mail: MailCatcher;
  let adminToken: string;

  beforeAll(async () => {
    mail = await startMailCatcher();
    portal = await startPortal({ provider, env: { SMTP_URL: mail.url, REFRESH_REUSE_GRACE_SECONDS: "0" } });
    adminToken = tokensOf(
      await trpcClient(portal.url).auth.login.mutate({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }),
    ).access_token;
  });
  afterAll(async () => {
    await portal?.stop();
    await mail?.stop();
  });

  async function account() {
    const name = uniqueName();
    const user = await trpcClient(portal.url).auth.register.mutate({
      email: `${name}@example.com`,
      username: name,
      password: PASSWORD,
    });
    return {
      ...user,
      login: async () =>
        tokensOf(await trpcClient(portal.url).auth.login.mutate({ email: user.email, password: PASSWORD })),
    };
  }
  const me = (credentials: Parameters<typeof trpcClient>[1]) =>
    httpStatusOf(trpcClient(portal.url, credentials).auth.me.query());

  it("replay of a rotated refresh token after the grace window kills the family (V3.5.2)", async () => {
    const user = await account();
    const tokens = await user.login();
    const next = await trpcClient(portal.url).auth.refresh.mutate({ refresh_token: tokens.refresh_token });
    expect(
      await httpStatusOf(trpcClient(portal.url).auth.refresh.mutate({ refresh_token: tokens.refresh_token })),
    ).toBe(401);
    expect(await httpStatusOf(trpcClient(portal.url).auth.refresh.mutate({ refresh_token: next.refresh_token }))).toBe(
      401,
    );
    expect(await me({ token: next.access_token })).toBe(401);
  });

  it("the access token is dead right after logout; logoutAll kills the other sessions and web cookies (V3.3.1)", async () => {
    const user = await account();
    const first = await user.login();
    await trpcClient(portal.url, { token: first.access_token }).auth.logout.mutate();
    expect(await me({ token: first.access_token })).toBe(401);

    const a = await user.login();
    const b = await user.login();
    const { cookie } = await webSignIn(portal.url, user.email, PASSWORD);
    expect(await me({ cookie: cookie! })).toBeNull();
    await trpcClient(portal.url, { token: a.access_token }).auth.logoutAll.mutate();
    expect(await me({ token: b.access_token })).toBe(401);
    expect(await me({ cookie: cookie! })).toBe(401);
  });

  it("deactivating a user ends their web session on the next request, pages included", async () => {
    const user = await account();
    const { cookie } = await webSignIn(portal.url, user.email, PASSWORD);
    const profile = () => fetch(`${portal.url}/profile`, { headers: { cookie: cookie! }, redirect: "manual" });
    expect((await profile()).status).toBe(200);
    await trpcClient(portal.url, { token: adminToken }).admin.deactivate.mutate({ id: user.id });
    expect(await me({ cookie: cookie! })).toBe(401);
    const after = await profile();
    expect([302, 303, 307]).toContain(after.status);
    expect(after.headers.get("location")).toContain("/login");
    // And the NextAuth sign-in refuses the deactivated account.
    expect((await webSignIn(portal.url, user.email, PASSWORD)).cookie).toBeNull();
  });

  it("the 6th attempt after 5 failures is 429 with Retry-After, even with the right password (V2.2.1)", async () => {
    const user = await account();
    for (let attempt = 1; attempt <= 5; attempt++) {
      const status = await httpStatusOf(
        trpcClient(portal.url).auth.login.mutate({ email: user.email, password: `Bad-Guess-${attempt}-qq` }),
      );
      expect(status).toBe(401);
    }
    const response = await fetch(`${portal.url}/api/trpc/auth.login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ json: { email: user.email, password: PASSWORD } }),
    });
    expect(response.status).toBe(429);
    expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(800);
    // The web form shows the same lock.
    expect((await webSignIn(portal.url, user.email, PASSWORD)).error).toMatch(/Too many failed sign-in attempts/);
  });

  it("a reset link from the real mail works once, revokes older sessions and ignores a forged Host (V2.5.x)", async () => {
    const user = await account();
    const older = await user.login();
    await fetch(`${portal.url}/api/trpc/auth.requestPasswordReset`, {
      method: "POST",
      headers: { "content-type": "application/json", host: "attacker.example", "x-forwarded-host": "attacker.example" },
      body: JSON.stringify({ json: { email: user.email } }),
    });
    const link = resetLinkIn(await mail.waitFor(user.email, /Reset your mastoc password/));
    expect(link.startsWith(`${portal.url}/reset-password?token=`)).toBe(true);
    const token = new URL(link).searchParams.get("token")!;
    await trpcClient(portal.url).auth.confirmPasswordReset.mutate({ token, password: NEW_PASSWORD });
    expect(
      await httpStatusOf(
        trpcClient(portal.url).auth.confirmPasswordReset.mutate({ token, password: "Yet-Another-Pass-55" }),
      ),
    ).toBe(400);
    expect(await me({ token: older.access_token })).toBe(401);
    const fresh = tokensOf(
      await trpcClient(portal.url).auth.login.mutate({ email: user.email, password: NEW_PASSWORD }),
    );
    expect(await me({ token: fresh.access_token })).toBeNull();
    await mail.waitFor(user.email, /Your mastoc password was changed/);
  });

  it("an unknown email gets the same answer as a known one when asking for a reset", async () => {
    const user = await account();
    const ask = (email: string) => trpcClient(portal.url).auth.requestPasswordReset.mutate({ email });
    expect(await ask(`${uniqueName()}@example.com`)).toEqual(await ask(user.email));
  });

  it("alg:none, tampered and foreign-algorithm tokens are 401 (V3.5.3)", async () => {
    const user = await account();
    const { access_token } = await user.login();
    const [header, payload, signature] = access_token.split(".");
    const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
    const claims = decodeJwt(access_token);
    expect(await me({ token: `${b64({ alg: "none", typ: "JWT" })}.${payload}.` })).toBe(401);
    expect(await me({ token: `${header}.${b64({ ...claims, role: "ADMIN" })}.${signature}` })).toBe(401);
    const hs512 = await new SignJWT(claims)
      .setProtectedHeader({ alg: "HS512" })
      .sign(new TextEncoder().encode(PORTAL_JWT_SECRET));
    expect(await me({ token: hs512 })).toBe(401);
    expect(await me({ token: access_token })).toBeNull();
  });

  it("an API key works as X-API-Key and Bearer; revoked it is 401", async () => {
    const user = await account();
    const { access_token } = await user.login();
    const api = trpcClient(portal.url, { token: access_token });
    const { id, key } = await api.apiKeys.create.mutate({ name: "http" });
    expect(await me({ apiKey: key })).toBeNull();
    expect(await me({ token: key })).toBeNull();
    await api.apiKeys.revoke.mutate({ id });
    expect(await me({ apiKey: key })).toBe(401);
    expect(await me({ token: key })).toBe(401);
  });
});

describe("several instances on one PostgreSQL database", () => {
  let first: Portal;
  let second: Portal;
  beforeAll(async () => {
    first = await startPortal({ provider: "postgresql" });
    second = await startPortal({
      provider: "postgresql",
      sharedDatabaseUrl: first.databaseUrl,
      env: { MASTOC_ADMIN_EMAIL: "", MASTOC_ADMIN_PASSWORD: "" },
    });
  });
  afterAll(async () => {
    await second?.stop();
    await first?.stop();
  });

  it("share lockouts and revocations", async () => {
    const name = uniqueName();
    await trpcClient(first.url).auth.register.mutate({
      email: `${name}@example.com`,
      username: name,
      password: PASSWORD,
    });
    for (let attempt = 1; attempt <= 5; attempt++) {
      const target = attempt % 2 ? first : second;
      expect(
        await httpStatusOf(
          trpcClient(target.url).auth.login.mutate({ email: name, password: `Bad-Guess-${attempt}-zz` }),
        ),
      ).toBe(401);
    }
    expect(await httpStatusOf(trpcClient(second.url).auth.login.mutate({ email: name, password: PASSWORD }))).toBe(429);

    const tokens = tokensOf(
      await trpcClient(first.url).auth.login.mutate({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }),
    );
    expect(await httpStatusOf(trpcClient(second.url, { token: tokens.access_token }).auth.me.query())).toBeNull();
    await trpcClient(first.url, { token: tokens.access_token }).auth.logout.mutate();
    expect(await httpStatusOf(trpcClient(second.url, { token: tokens.access_token }).auth.me.query())).toBe(401);
  });
});

describe("timing of failed sign-ins", () => {
  let portal: Portal;
  beforeAll(async () => {
    // A bcrypt cost at which hashing dominates the request time (the database writes of a failed
    // attempt on a known account included), as in production.
    portal = await startPortal({ provider: "sqlite", env: { BCRYPT_COST: "11", MAX_LOGIN_ATTEMPTS: "1000" } });
  });
  afterAll(async () => portal?.stop());

  it("an unknown email takes about as long as a wrong password (V2.2.1, dummy hash)", async () => {
    const timed = async (email: string) => {
      const started = performance.now();
      expect(
        await httpStatusOf(trpcClient(portal.url).auth.login.mutate({ email, password: "Wrong-Password-Xy-1" })),
      ).toBe(401);
      return performance.now() - started;
    };
    // Load on a shared machine only ever adds time, so the fastest of interleaved rounds is the
    // estimate of each path's own cost that noise disturbs least.
    const fastest = (values: number[]) => Math.min(...values);
    const known: number[] = [];
    const unknown: number[] = [];
    await timed(ADMIN_EMAIL); // warm-up
    for (let round = 0; round < 7; round++) {
      known.push(await timed(ADMIN_EMAIL));
      unknown.push(await timed(`${uniqueName()}@example.com`));
    }
    const ratio = fastest(unknown) / fastest(known);
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(2);
  });
});
