// The REST facade over real HTTP against the production build, on both databases: every documented
// route answers with a documented status, the flows work end to end, errors are problem details with
// the status codes of the contract, cookies never authenticate, and hostile bytes change nothing.
import SwaggerParser from "@apidevtools/swagger-parser";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase, type Db } from "@mastoc/db";
import { ADMIN_EMAIL, ADMIN_PASSWORD, startPortal, totp, webSignIn, type Portal } from "./support";

const PASSWORD = "Sloper-Traverse-Heel-58";
let counter = 0;
const uniqueName = () => `rest${Date.now().toString(36)}${counter++}`;

type Answer = { status: number; headers: Headers; body: Record<string, unknown> | null; text: string };
type Operation = { responses: Record<string, unknown>; parameters?: { name: string; in: string }[] };
type OpenApi = { paths: Record<string, Record<string, Operation>> };

describe.each(["sqlite", "postgresql"] as const)("REST facade over HTTP (%s)", (provider) => {
  let portal: Portal;
  let db: Db;
  let adminToken: string;

  async function call(
    method: string,
    path: string,
    options: {
      token?: string;
      apiKey?: string;
      json?: unknown;
      body?: BodyInit;
      headers?: Record<string, string>;
    } = {},
  ): Promise<Answer> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.apiKey) headers["x-api-key"] = options.apiKey;
    let body = options.body;
    if (options.json !== undefined) {
      headers["content-type"] ??= "application/json";
      body = JSON.stringify(options.json);
    }
    const response = await fetch(`${portal.url}/api/v1${path}`, { method, headers, body });
    const text = await response.text();
    let parsed: Record<string, unknown> | null = null;
    try {
      parsed = text ? (JSON.parse(text) as Record<string, unknown>) : null;
    } catch {
      parsed = null;
    }
    return { status: response.status, headers: response.headers, body: parsed, text };
  }

  function expectProblem(answer: Answer, status: number) {
    expect(answer.status, answer.text).toBe(status);
    expect(answer.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(answer.body).toMatchObject({ type: "about:blank", status, title: expect.any(String) });
    expect(typeof answer.body!.detail).toBe("string");
    expect(answer.text).not.toMatch(/\bat .+\.(?:js|ts):\d+/);
  }

  const fieldsOf = (answer: Answer) =>
    ((answer.body?.errors as { field: string }[] | undefined) ?? []).map((error) => error.field);

  async function account() {
    const name = uniqueName();
    const registered = await call("POST", "/auth/register", {
      json: { email: `${name}@example.com`, username: name, password: PASSWORD },
    });
    expect(registered.status, registered.text).toBe(201);
    const login = await call("POST", "/auth/login", { json: { email: name, password: PASSWORD } });
    expect(login.status, login.text).toBe(200);
    return {
      name,
      id: registered.body!.id as string,
      token: login.body!.access_token as string,
      refresh: login.body!.refresh_token as string,
    };
  }

  beforeAll(async () => {
    portal = await startPortal({ provider });
    db = createDatabase(portal.database).db;
    const login = await call("POST", "/auth/login", { json: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD } });
    adminToken = login.body!.access_token as string;
  });
  afterAll(async () => {
    await db?.$disconnect();
    await portal?.stop();
  });

  it("serves an OpenAPI 3.1 document that validates, and every documented operation answers as documented", async () => {
    const response = await fetch(`${portal.url}/api/openapi.json`);
    expect(response.status).toBe(200);
    const document = (await response.json()) as OpenApi & { openapi: string };
    expect(document.openapi).toBe("3.1.0");
    await SwaggerParser.validate(structuredClone(document) as never);

    // A fresh account calls every operation (admin ones answer 403, as documented); signing out comes last.
    const { id: userId, token } = await account();
    const operations = Object.entries(document.paths)
      .flatMap(([path, methods]) => Object.entries(methods).map(([method, operation]) => ({ path, method, operation })))
      .sort((a, b) => Number(a.path.includes("logout")) - Number(b.path.includes("logout")));
    expect(operations.length).toBeGreaterThanOrEqual(38);
    for (const { path, method, operation } of operations) {
      const concrete = path.replace("{id}", path.startsWith("/users/") ? userId : "no-such-id");
      const answer = await call(method.toUpperCase(), concrete, {
        token,
        ...(method === "get" || method === "delete" ? {} : { json: {} }),
      });
      const documented = Object.keys(operation.responses);
      expect(documented, `${method} ${path} answered ${answer.status}: ${answer.text}`).toContain(
        String(answer.status),
      );
    }
  });

  it("two-factor: setup and enable under /auth/2fa, then login answers mfa_required and /auth/login/mfa the tokens", async () => {
    const { name, id, token } = await account();
    const setup = await call("POST", "/auth/2fa/setup", { token, json: { password: PASSWORD } });
    expect(setup.status, setup.text).toBe(200);
    const secret = setup.body!.secret as string;
    expect(setup.body!.qrSvg).toMatch(/^<svg/);
    const malformed = await call("POST", "/auth/2fa/enable", { token, json: { code: "12" } });
    expectProblem(malformed, 422);
    expect(fieldsOf(malformed)).toEqual(["code"]);
    const enabled = await call("POST", "/auth/2fa/enable", { token, json: { code: await totp(secret) } });
    expect(enabled.status, enabled.text).toBe(200);
    expect(enabled.body!.recoveryCodes).toHaveLength(10);
    expect((await call("GET", "/auth/2fa", { token })).body).toMatchObject({ enabled: true, recoveryCodesLeft: 10 });
    expectProblem(await call("POST", "/auth/2fa/setup", { token, json: { password: PASSWORD } }), 409);

    const login = await call("POST", "/auth/login", { json: { email: name, password: PASSWORD } });
    expect(login.status).toBe(200);
    expect(login.body).toEqual({ mfa_required: true, mfa_token: expect.any(String), expires_in: 300 });
    const wrong = await call("POST", "/auth/login/mfa", { json: { mfa_token: login.body!.mfa_token, code: "abc" } });
    expectProblem(wrong, 401);
    expect(wrong.body!.detail).toBe("Invalid or expired sign-in code");
    const tokens = await call("POST", "/auth/login/mfa", {
      json: { mfa_token: login.body!.mfa_token, code: await totp(secret, 1) },
    });
    expect(tokens.status, tokens.text).toBe(200);
    expect(tokens.body).toMatchObject({ token_type: "bearer", user: { id } });

    const reset = await call("POST", `/admin/users/${id}/reset-2fa`, { token: adminToken });
    expect(reset.status, reset.text).toBe(200);
    expect(reset.body).toMatchObject({ id, twoFactorEnabledAt: null });
    expectProblem(await call("GET", "/auth/me", { token: tokens.body!.access_token as string }), 401);
    expectProblem(await call("POST", `/admin/users/${id}/reset-2fa`, { token: adminToken }), 409);
  });

  it("insight: the dashboards' figures, the caller's security activity, and the audit trail streamed as CSV and NDJSON", async () => {
    const stats = await call("GET", "/admin/stats?days=7", { token: adminToken });
    expect(stats.status, stats.text).toBe(200);
    expect(stats.body!.days).toBe(7);
    expect(stats.body!.series as unknown[]).toHaveLength(7);
    expect(stats.body!.totals).toMatchObject({ users: expect.any(Number), activeSessions: expect.any(Number) });
    const tooLong = await call("GET", "/admin/stats?days=400", { token: adminToken });
    expectProblem(tooLong, 422);
    expect(fieldsOf(tooLong)).toEqual(["days"]);
    expect(fieldsOf(await call("GET", "/admin/stats?days=week", { token: adminToken }))).toEqual(["days"]);
    expect((await call("GET", "/climbs/stats?days=2", { token: adminToken })).body!.series).toHaveLength(2);

    const { id, token } = await account();
    expectProblem(await call("GET", "/admin/stats", { token }), 403);
    expectProblem(await call("GET", "/climbs/stats", { token }), 403);
    const activity = await call("GET", "/users/me/security-activity", { token });
    expect(activity.status, activity.text).toBe(200);
    expect((activity.body as unknown as { action: string; client: string }[])[0]).toMatchObject({
      action: "auth.login.success",
      client: "token",
    });

    // The export: many entries, streamed in batches, every one exactly once.
    const marker = `export${Date.now().toString(36)}`;
    await db.auditLog.createMany({
      data: Array.from({ length: 3000 }, (_, index) => ({
        action: `${marker}.bulk`,
        targetType: "user",
        targetId: `${marker}-${index}`,
        createdAt: new Date(Date.UTC(2024, 0, 1) + index * 1000),
      })),
    });
    const csv = await fetch(`${portal.url}/api/v1/audit?format=csv&action=${marker}`, {
      headers: { authorization: `Bearer ${adminToken}` },
    });
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(csv.headers.get("content-disposition")).toMatch(
      /^attachment; filename="mastoc-audit-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    expect(csv.headers.get("cache-control")).toBe("no-store");
    const lines = (await csv.text()).trimEnd().split("\r\n");
    expect(lines[0]).toBe("createdAt,action,actorId,actorEmail,targetType,targetId,ip,userAgent,changes");
    expect(lines).toHaveLength(3001);
    expect(new Set(lines.slice(1).map((line) => line.split(",")[5])).size).toBe(3000);
    expect(lines[1]).toContain(`${marker}-2999`);

    const ndjson = await fetch(`${portal.url}/api/v1/audit?format=ndjson&targetId=${id}&action=user.register`, {
      headers: { authorization: `Bearer ${adminToken}` },
    });
    expect(ndjson.headers.get("content-type")).toBe("application/x-ndjson; charset=utf-8");
    const entries = (await ndjson.text())
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(entries).toEqual([expect.objectContaining({ action: "user.register", targetId: id })]);

    // Refusals come before any byte of a file, as problem details.
    const badFormat = await call("GET", "/audit?format=xml", { token: adminToken });
    expectProblem(badFormat, 422);
    expect(fieldsOf(badFormat)).toEqual(["format"]);
    expect(fieldsOf(await call("GET", "/audit?format=csv&from=not-a-date", { token: adminToken }))).toEqual(["from"]);
    expectProblem(await call("GET", "/audit?format=csv", { token }), 403);
    expectProblem(await call("GET", "/audit?format=csv"), 401);
  });

  it("registers, signs in, refreshes and signs out with the OAuth 2 token fields", async () => {
    const name = uniqueName();
    const registered = await call("POST", "/auth/register", {
      json: { email: `${name}@example.com`, username: name, password: PASSWORD, name: "Ada" },
    });
    expect(registered.status).toBe(201);
    expect(registered.body).toMatchObject({ email: `${name}@example.com`, username: name, role: "USER" });
    expect(registered.text).not.toMatch(/passwordHash|sessionVersion/);

    const login = await call("POST", "/auth/login", { json: { email: `${name}@example.com`, password: PASSWORD } });
    expect(login.status).toBe(200);
    expect(login.body).toMatchObject({ token_type: "bearer", expires_in: expect.any(Number) });
    const token = login.body!.access_token as string;

    const me = await call("GET", "/auth/me", { token });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      username: name,
      permissions: { "profile.manageOwn": true, "users.manage": false },
    });
    expect(new Date(me.body!.createdAt as string).toISOString()).toBe(me.body!.createdAt);

    const refreshed = await call("POST", "/auth/refresh", { json: { refresh_token: login.body!.refresh_token } });
    expect(refreshed.status).toBe(200);
    const newToken = refreshed.body!.access_token as string;
    expect((await call("GET", "/users/me", { token: newToken })).status).toBe(200);

    const sessions = await call("GET", "/auth/sessions", { token: newToken });
    expect(sessions.status).toBe(200);
    expect(sessions.body).toEqual(expect.arrayContaining([expect.objectContaining({ current: true })]));

    const logout = await call("POST", "/auth/logout", { token: newToken });
    expect(logout.status).toBe(204);
    expect(logout.text).toBe("");
    const after = await call("GET", "/auth/me", { token: newToken });
    expectProblem(after, 401);
    expect(after.headers.get("www-authenticate")).toMatch(/^Bearer realm="mastoc", error="invalid_token"/);
  });

  it("answers the contract's status codes with problem details naming each field", async () => {
    const { name, token } = await account();
    // 409: a taken email or username, naming the field.
    const taken = await call("POST", "/auth/register", {
      json: { email: `${name}@example.com`, username: `${name}x`, password: PASSWORD },
    });
    expectProblem(taken, 409);
    expect(fieldsOf(taken)).toEqual(["email"]);
    // 422: validation, every field named.
    const invalid = await call("POST", "/auth/register", { json: { email: "nope", username: "a", password: "x" } });
    expectProblem(invalid, 422);
    expect(fieldsOf(invalid)).toEqual(expect.arrayContaining(["email", "username", "password"]));
    // 400: malformed JSON, another content type, a body that is not UTF-8.
    expectProblem(
      await call("POST", "/auth/login", { body: '{"email": ', headers: { "content-type": "application/json" } }),
      400,
    );
    expectProblem(
      await call("POST", "/auth/login", { body: "email=a&password=b", headers: { "content-type": "text/plain" } }),
      400,
    );
    expectProblem(
      await call("POST", "/auth/login", {
        body: new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
        headers: { "content-type": "application/json" },
      }),
      400,
    );
    // 401: no credential, with the challenge; failed sign-in, generic.
    const anonymous = await call("GET", "/users/me");
    expectProblem(anonymous, 401);
    expect(anonymous.headers.get("www-authenticate")).toBe('Bearer realm="mastoc"');
    const wrong = await call("POST", "/auth/login", { json: { email: name, password: "Wrong-Password-123" } });
    expectProblem(wrong, 401);
    expect(wrong.body!.detail).toBe("Invalid email or password");
    // 403, 404.
    expectProblem(await call("GET", "/admin/users", { token }), 403);
    expectProblem(await call("GET", "/climbs/no-such-climb", { token }), 404);
    // 404 for an unknown route, 405 with Allow for a known path.
    expectProblem(await call("GET", "/nowhere", { token }), 404);
    const method = await call("PUT", "/auth/login", { json: {} });
    expectProblem(method, 405);
    expect(method.headers.get("allow")).toBe("POST");
    // 413: a JSON body over 1 MB.
    expectProblem(
      await call("POST", "/auth/password-strength", { json: { password: "x".repeat(1024 * 1024 + 10) } }),
      413,
    );
    // 422 for a query parameter of the wrong type, naming it.
    const admin = await call("GET", "/admin/users?pageSize=lots", { token: adminToken });
    expectProblem(admin, 422);
    expect(fieldsOf(admin)).toEqual(["pageSize"]);
  });

  it("answers 429 with Retry-After once an account is locked", async () => {
    const { name } = await account();
    let last: Answer | null = null;
    for (let attempt = 0; attempt < 8; attempt++) {
      last = await call("POST", "/auth/login", { json: { email: name, password: "Not-The-Password-1" } });
      if (last.status === 429) break;
      expect(last.status).toBe(401);
    }
    expectProblem(last!, 429);
    expect(Number(last!.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("ignores cookies: a web session alone does not authenticate, so there is nothing to forge cross-site", async () => {
    const { name } = await account();
    const { cookie } = await webSignIn(portal.url, name, PASSWORD);
    expect(cookie).toBeTruthy();
    expectProblem(await call("GET", "/auth/me", { headers: { cookie: cookie! } }), 401);
    const status = await call("GET", "/auth/status", { headers: { cookie: cookie! } });
    expect(status.body).toMatchObject({ authenticated: false, user: null });
  });

  it("runs the admin flows: search with coerced query parameters, role change, deactivation, deletion", async () => {
    const target = await account();
    const found = await call("GET", `/admin/users?search=${target.name}&role=USER&active=true&page=1&pageSize=5`, {
      token: adminToken,
    });
    expect(found.status).toBe(200);
    expect(found.body).toMatchObject({ total: 1, page: 1, pageSize: 5, items: [{ id: target.id }] });
    expect(
      (await call("GET", `/admin/users?search=${target.name}&active=false`, { token: adminToken })).body,
    ).toMatchObject({
      total: 0,
    });

    const role = await call("PUT", `/admin/users/${target.id}/role`, {
      token: adminToken,
      json: { role: "MODERATOR" },
    });
    expect(role.status).toBe(200);
    expect(role.body).toMatchObject({ id: target.id, role: "MODERATOR" });
    const badRole = await call("PUT", `/admin/users/${target.id}/role`, { token: adminToken, json: { role: "KING" } });
    expectProblem(badRole, 422);
    expect(fieldsOf(badRole)).toEqual(["role"]);
    // The moderator may list users now, but not change roles.
    expect((await call("GET", "/admin/users", { token: target.token })).status).toBe(200);
    expectProblem(
      await call("PUT", `/admin/users/${target.id}/role`, { token: target.token, json: { role: "ADMIN" } }),
      403,
    );

    const detail = await call("GET", `/admin/users/${target.id}`, { token: adminToken });
    expect(detail.body).toMatchObject({ id: target.id, activeSessions: 1 });
    const patched = await call("PATCH", `/admin/users/${target.id}`, { token: adminToken, json: { name: "Renamed" } });
    expect(patched.body).toMatchObject({ name: "Renamed" });

    expect((await call("PUT", `/admin/users/${target.id}/deactivate`, { token: adminToken })).body).toMatchObject({
      isActive: false,
    });
    expectProblem(await call("GET", "/auth/me", { token: target.token }), 401);
    expect((await call("PUT", `/admin/users/${target.id}/activate`, { token: adminToken })).status).toBe(200);
    expect((await call("POST", `/admin/users/${target.id}/unlock`, { token: adminToken })).status).toBe(200);
    const verified = await call("POST", `/admin/users/${target.id}/verify-email`, { token: adminToken });
    expect(verified.body!.emailVerified).toEqual(expect.any(String));

    expect((await call("DELETE", `/admin/users/${target.id}`, { token: adminToken })).status).toBe(204);
    expectProblem(await call("GET", `/admin/users/${target.id}`, { token: adminToken }), 404);
  });

  it("manages the profile, password, climbs, API keys and the audit trail", async () => {
    const user = await account();
    const updated = await call("PATCH", "/users/me", { token: user.token, json: { name: "Climber" } });
    expect(updated.body).toMatchObject({ name: "Climber" });
    const privileged = await call("PATCH", "/users/me", { token: user.token, json: { role: "ADMIN" } });
    expectProblem(privileged, 422);

    const publicProfile = await call("GET", `/users/${user.id}`, { token: adminToken });
    expect(publicProfile.body).toMatchObject({ id: user.id, name: "Climber" });
    expect(publicProfile.body).not.toHaveProperty("email");

    const created = await call("POST", "/climbs", { token: user.token, json: { name: "Crimp Line", grade: "6B+" } });
    expect(created.status).toBe(201);
    const climbId = created.body!.id as string;
    expect(created.body).toMatchObject({ createdById: user.id, createdBy: { id: user.id } });
    const listed = await call("GET", "/climbs?search=crimp%20line&page=1", { token: user.token });
    expect(listed.body).toMatchObject({ items: [expect.objectContaining({ id: climbId })] });
    const badGrade = await call("PATCH", `/climbs/${climbId}`, { token: user.token, json: { grade: "12Z" } });
    expectProblem(badGrade, 422);
    expect(fieldsOf(badGrade)).toEqual(["grade"]);
    expect(
      (await call("PATCH", `/climbs/${climbId}`, { token: user.token, json: { grade: "6C" } })).body,
    ).toMatchObject({
      grade: "6C",
    });

    const key = await call("POST", "/api-keys", { token: user.token, json: { name: "script", expiresInDays: 30 } });
    expect(key.status).toBe(201);
    const secret = key.body!.key as string;
    expect(secret).toMatch(/^mk_/);
    expect((await call("GET", "/auth/me", { apiKey: secret })).body).toMatchObject({ id: user.id });
    expect((await call("GET", "/auth/me", { token: secret })).body).toMatchObject({ id: user.id });
    // A key cannot manage keys.
    expectProblem(await call("GET", "/api-keys", { apiKey: secret }), 403);
    expect((await call("GET", "/api-keys", { token: user.token })).body).toEqual([
      expect.objectContaining({ id: key.body!.id, name: "script" }),
    ]);
    expect((await call("DELETE", `/api-keys/${key.body!.id}`, { token: user.token })).status).toBe(204);
    expectProblem(await call("GET", "/auth/me", { apiKey: secret }), 401);

    expect((await call("DELETE", `/climbs/${climbId}`, { token: user.token })).status).toBe(204);
    const audit = await call("GET", `/audit?targetId=${climbId}&from=2020-01-01&limit=10`, { token: adminToken });
    expect(audit.status).toBe(200);
    expect((audit.body!.items as { action: string }[]).map((entry) => entry.action)).toEqual([
      "climb.delete",
      "climb.update",
      "climb.create",
    ]);
    expectProblem(await call("GET", "/audit?from=10000-01-01", { token: adminToken }), 422);

    const changed = await call("POST", "/auth/change-password", {
      token: user.token,
      json: { currentPassword: PASSWORD, newPassword: "Fresh-Dyno-Pinch-93" },
    });
    expect(changed.body).toMatchObject({ success: true });
    const reset = await call("POST", "/auth/reset-password", { json: { email: `${user.name}@example.com` } });
    expect(reset.body).toMatchObject({ success: true });
    const badToken = await call("POST", "/auth/reset-password/confirm", {
      json: { token: "not-a-token", password: "Another-Fresh-Pass-77" },
    });
    expectProblem(badToken, 422);
    expect(fieldsOf(badToken)).toEqual(["token"]);

    const deleted = await call("DELETE", "/users/me", { token: user.token, json: { password: "Fresh-Dyno-Pinch-93" } });
    expect(deleted.status).toBe(204);
    expect(await db.user.findUnique({ where: { id: user.id } })).toBeNull();
  });

  it("uploads an avatar as multipart, serves it with its ETag, and refuses other media", async () => {
    const user = await account();
    const png = await sharp({ create: { width: 40, height: 30, channels: 3, background: "#cc6633" } })
      .png()
      .toBuffer();
    const form = new FormData();
    form.append("file", new Blob([new Uint8Array(png)], { type: "image/png" }), "me.png");
    const uploaded = await call("POST", "/users/me/avatar", { token: user.token, body: form });
    expect(uploaded.status, uploaded.text).toBe(201);
    expect(uploaded.body!.image).toMatch(new RegExp(`^/api/users/${user.id}/avatar\\?v=`));

    const image = await fetch(`${portal.url}/api/v1/users/${user.id}/avatar`);
    expect(image.status).toBe(200);
    expect(image.headers.get("content-type")).toBe("image/webp");
    expect((await sharp(Buffer.from(await image.arrayBuffer())).metadata()).width).toBe(256);
    const etag = image.headers.get("etag")!;
    const again = await fetch(`${portal.url}/api/v1/users/${user.id}/avatar`, { headers: { "if-none-match": etag } });
    expect(again.status).toBe(304);

    const text = new FormData();
    text.append("file", new Blob(["just text"], { type: "image/png" }), "fake.png");
    expectProblem(await call("POST", "/users/me/avatar", { token: user.token, body: text }), 415);
    expectProblem(await call("POST", "/users/me/avatar", { token: user.token, json: { file: "x" } }), 415);
    const big = new FormData();
    big.append("file", new Blob([new Uint8Array(3 * 1024 * 1024)]), "big.png");
    expectProblem(await call("POST", "/users/me/avatar", { token: user.token, body: big }), 413);
    expectProblem(await call("POST", "/users/me/avatar", { body: form }), 401);

    expect((await call("DELETE", "/users/me/avatar", { token: user.token })).status).toBe(204);
    expectProblem(await call("GET", `/users/${user.id}/avatar`), 404);
  });

  it("refuses hostile bodies with a clear error and changes nothing", async () => {
    const user = await account();
    const before = await db.user.findUniqueOrThrow({ where: { id: user.id }, select: { name: true, updatedAt: true } });
    const hostile: [string, string][] = [
      ["lone surrogate", '{"name": "\\ud800"}'],
      ["NUL", '{"name": "a\\u0000b"}'],
      ["prototype key", '{"__proto__": {"role": "ADMIN"}}'],
      ["deep nesting", `{"name": ${"[".repeat(200)}${"]".repeat(200)}}`],
      ["number for a string", '{"name": 12}'],
    ];
    for (const [label, body] of hostile) {
      const answer = await call("PATCH", "/users/me", {
        token: user.token,
        body,
        headers: { "content-type": "application/json" },
      });
      expect(answer.status, `${label}: ${answer.text}`).toBe(422);
      expectProblem(answer, 422);
    }
    // Query strings get the same guard: a prototype key, or a repeated parameter where one value is expected.
    expectProblem(await call("GET", "/climbs?__proto__=x&__proto__=y", { token: user.token }), 422);
    const repeated = await call("GET", "/climbs?page=1&page=2", { token: user.token });
    expectProblem(repeated, 422);
    expect(fieldsOf(repeated)).toEqual(["page"]);
    // A body that is not an object where the path already names the resource.
    expectProblem(await call("PATCH", `/climbs/x`, { token: user.token, json: [1, 2] }), 400);
    // Malformed bearer tokens and API keys are refused, not crashed on.
    for (const token of ["", "a.b.c", "mk_\u00ff", "x".repeat(5000)]) {
      const answer = await fetch(`${portal.url}/api/v1/auth/me`, {
        headers: { authorization: `Bearer ${encodeURIComponent(token)}` },
      });
      expect([400, 401]).toContain(answer.status);
    }
    const after = await db.user.findUniqueOrThrow({ where: { id: user.id }, select: { name: true, updatedAt: true } });
    expect(after).toEqual(before);
  });
});
