// The REST contract says everything the server does. The OpenAPI document is linted by Redocly
// and Spectral (their recommended rules), then every operation it lists is called against the
// production build with a valid input and with invalid ones (no credential, malformed and
// oversize bodies, unknown keys, wrong types, over-long values, over-long path ids, HEAD for GET);
// every answer's status must be declared for the operation, and its content type and body must
// validate (ajv, JSON Schema 2020-12) against the document. On both databases.
import { Spectral, type ISpectralDiagnostic } from "@stoplight/spectral-core";
import { oas } from "@stoplight/spectral-rulesets";
import { createConfig, lintFromString, stringifyYaml } from "@redocly/openapi-core";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  linkIn,
  resetLinkIn,
  startMailCatcher,
  startPortal,
  totp,
  type MailCatcher,
  type Portal,
} from "./support";

const PASSWORD = "Sloper-Traverse-Heel-58";
const NEW_PASSWORD = "Dyno-Mantle-Undercling-93";

type Schema = Record<string, unknown>;
type MediaType = { schema?: Schema };
type Response = { content?: Record<string, MediaType>; headers?: Record<string, unknown> };
type Parameter = { name: string; in: "path" | "query"; required?: boolean; schema: Schema };
type Operation = {
  operationId: string;
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content: Record<string, MediaType> };
  responses: Record<string, Response>;
  security?: unknown[];
};
type Document = { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, Schema> } };

type Call = {
  method?: string;
  /** The concrete path under /api/v1 (path parameters filled in). */
  path?: string;
  token?: string;
  json?: unknown;
  rawBody?: BodyInit;
  query?: Record<string, string>;
  headers?: Record<string, string>;
};
type Answer = { status: number; contentType: string | null; text: string; body: unknown };

let counter = 0;
const unique = () => `conf${Date.now().toString(36)}${(counter++).toString(36)}`;

describe.each(["sqlite", "postgresql"] as const)("the REST contract (%s)", (provider) => {
  let portal: Portal;
  let mail: MailCatcher;
  let document: Document;
  let ajv: Ajv2020;
  let adminToken: string;
  const operations: { path: string; method: string; operation: Operation }[] = [];
  /** Operation id → statuses seen, for the closing check that every operation answered a 2xx. */
  const seen = new Map<string, Set<number>>();

  beforeAll(async () => {
    mail = await startMailCatcher();
    portal = await startPortal({
      provider,
      env: { SMTP_URL: mail.url, MAX_REGISTRATIONS_PER_IP: "1000", MAX_LOGIN_ATTEMPTS_PER_IP: "100000" },
    });
    document = (await (await fetch(`${portal.url}/api/openapi.json`)).json()) as Document;
    ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats.default(ajv);
    ajv.addSchema(document as never, "openapi");
    for (const [path, methods] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(methods)) operations.push({ path, method, operation });
    }
    adminToken = (await login(ADMIN_EMAIL, ADMIN_PASSWORD)).access_token;
  });
  afterAll(async () => {
    await portal?.stop();
    await mail?.stop();
  });

  const pointer = (...parts: string[]) =>
    parts.map((part) => part.replaceAll("~", "~0").replaceAll("/", "~1")).join("/");

  /** Finds the operation a call is for (its template matching the concrete path). */
  function operationFor(method: string, path: string) {
    const found = operations.find(
      (candidate) =>
        candidate.method === method.toLowerCase() &&
        new RegExp(`^${candidate.path.replace(/\{\w+\}/g, "[^/]+")}$`).test(path.split("?")[0]!),
    );
    if (!found) throw new Error(`no documented operation for ${method} ${path}`);
    return found;
  }

  /** Sends the call and checks the answer against the document; returns it. */
  async function send(call: Call): Promise<Answer> {
    const method = call.method ?? "GET";
    const headers: Record<string, string> = { ...call.headers };
    if (call.token) headers.authorization = `Bearer ${call.token}`;
    let body = call.rawBody;
    if (call.json !== undefined) {
      headers["content-type"] ??= "application/json";
      body = JSON.stringify(call.json);
    }
    const query = call.query ? `?${new URLSearchParams(call.query)}` : "";
    const response = await fetch(`${portal.url}/api/v1${call.path}${query}`, { method, headers, body });
    const text = await response.text();
    const contentType = response.headers.get("content-type");
    let parsed: unknown = null;
    if (contentType && /json/.test(contentType) && text) parsed = JSON.parse(text);
    const answer = { status: response.status, contentType, text, body: parsed };
    conforms(method === "HEAD" ? "GET" : method, call.path!, answer, method === "HEAD");
    return answer;
  }

  /** The answer's status is declared, and its content type and body are the declared ones. */
  function conforms(method: string, path: string, answer: Answer, head: boolean) {
    const { path: template, method: key, operation } = operationFor(method, path);
    const where = `${method} ${path} → ${answer.status} ${answer.text.slice(0, 300)}`;
    const declared = operation.responses[String(answer.status)];
    expect(declared, `undeclared status: ${where}`).toBeDefined();
    let statuses = seen.get(operation.operationId);
    if (!statuses) seen.set(operation.operationId, (statuses = new Set()));
    statuses.add(answer.status);
    if (head || !declared!.content) {
      expect(answer.text, `no body expected: ${where}`).toBe("");
      return;
    }
    const mediaType = answer.contentType?.split(";")[0]!.trim() ?? "";
    expect(Object.keys(declared!.content), `undeclared content type ${mediaType}: ${where}`).toContain(mediaType);
    if (!mediaType.endsWith("json")) return;
    const ref = `openapi#/${pointer("paths", template, key, "responses", String(answer.status), "content", mediaType, "schema")}`;
    const valid = ajv.validate({ $ref: ref }, answer.body);
    expect(valid, `${where}\n${ajv.errorsText(ajv.errors, { separator: "\n" })}`).toBe(true);
  }

  async function login(email: string, password: string) {
    const answer = await send({ method: "POST", path: "/auth/login", json: { email, password } });
    expect(answer.status, answer.text).toBe(200);
    return answer.body as { access_token: string; refresh_token: string };
  }

  /** A new account, signed in. */
  async function account() {
    const name = unique();
    const email = `${name}@example.com`;
    const registered = await send({
      method: "POST",
      path: "/auth/register",
      json: { email, username: name, password: PASSWORD },
    });
    expect(registered.status, registered.text).toBe(201);
    const tokens = await login(email, PASSWORD);
    return {
      name,
      email,
      id: (registered.body as { id: string }).id,
      token: tokens.access_token,
      refresh: tokens.refresh_token,
    };
  }

  async function withTwoFactor() {
    const user = await account();
    const setup = await send({
      method: "POST",
      path: "/auth/2fa/setup",
      token: user.token,
      json: { password: PASSWORD },
    });
    const secret = (setup.body as { secret: string }).secret;
    const enabled = await send({
      method: "POST",
      path: "/auth/2fa/enable",
      token: user.token,
      json: { code: await totp(secret) },
    });
    expect(enabled.status, enabled.text).toBe(200);
    return { ...user, secret, recoveryCodes: (enabled.body as { recoveryCodes: string[] }).recoveryCodes };
  }

  const png = () =>
    sharp({ create: { width: 32, height: 32, channels: 3, background: "#cc6633" } })
      .png()
      .toBuffer();

  it("lints clean with Redocly's and Spectral's recommended rules", async () => {
    // One exemption, the same for both: `GET /auth/status` is how any client asks whether its
    // credential still works; it answers every caller, signed in or not, so it has no 4xx to declare.
    const STATUS_RESPONSES = "#/paths/~1auth~1status/get/responses";
    const redocly = await lintFromString({
      source: stringifyYaml(document),
      absoluteRef: "openapi.yaml",
      config: await createConfig({ extends: ["recommended"] }),
    });
    expect(
      redocly
        .filter((problem) => problem.severity === "error" || problem.severity === "warn")
        .filter(
          (problem) =>
            !(problem.ruleId === "operation-4xx-response" && problem.location[0]?.pointer === STATUS_RESPONSES),
        )
        .map((p) => `${p.ruleId}: ${p.message} at ${p.location[0]?.pointer}`),
    ).toEqual([]);
    const spectral = new Spectral();
    spectral.setRuleset({ extends: [[oas as never, "recommended"]] } as never);
    const results: ISpectralDiagnostic[] = await spectral.run(JSON.stringify(document), {} as never);
    const statusHasNo4xx = (result: ISpectralDiagnostic) =>
      result.code === "operation-4xx-response" &&
      `#/${result.path.map((part) => String(part).replaceAll("/", "~1")).join("/")}` === STATUS_RESPONSES;
    expect(
      results
        .filter((result) => !statusHasNo4xx(result))
        .map((result) => `${String(result.code)}: ${result.message} at ${result.path.join(".")}`),
    ).toEqual([]);
  });

  it("every operation answers a valid input as documented", async () => {
    const user = await account();
    const other = await account();
    const auth = { token: user.token };
    const admin = { token: adminToken };

    // auth: status, register, login were called above.
    await send({ path: "/auth/status" });
    await send({ path: "/auth/status", ...auth });
    await send({ path: "/auth/me", ...auth });
    await send({ path: "/auth/2fa", ...auth });
    const sessions = await send({ path: "/auth/sessions", ...auth });
    expect(sessions.status).toBe(200);
    const refreshed = await send({ method: "POST", path: "/auth/refresh", json: { refresh_token: user.refresh } });
    expect(refreshed.status, refreshed.text).toBe(200);
    const second = await login(user.email, PASSWORD);
    const ownSessions = (await send({ path: "/auth/sessions", ...auth })).body as { id: string; current: boolean }[];
    const notCurrent = ownSessions.find((session) => !session.current)!;
    expect((await send({ method: "DELETE", path: `/auth/sessions/${notCurrent.id}`, ...auth })).status).toBe(204);
    void second;
    expect((await send({ method: "POST", path: "/auth/password-strength", json: { password: PASSWORD } })).status).toBe(
      200,
    );

    // two-factor, then a sign-in that needs it
    const mfa = await withTwoFactor();
    const challenge = await send({
      method: "POST",
      path: "/auth/login",
      json: { email: mfa.email, password: PASSWORD },
    });
    expect(challenge.body).toMatchObject({ mfa_required: true });
    const verified = await send({
      method: "POST",
      path: "/auth/login/mfa",
      json: { mfa_token: (challenge.body as { mfa_token: string }).mfa_token, code: await totp(mfa.secret, 1) },
    });
    expect(verified.status, verified.text).toBe(200);
    const regenerated = await send({
      method: "POST",
      path: "/auth/2fa/recovery-codes",
      token: mfa.token,
      // The TOTP steps around now are used up (each is accepted once, never an earlier one): a recovery code.
      json: { password: PASSWORD, code: mfa.recoveryCodes[0] },
    });
    expect(regenerated.status, regenerated.text).toBe(200);
    const codes = (regenerated.body as { recoveryCodes: string[] }).recoveryCodes;
    const disabled = await send({
      method: "POST",
      path: "/auth/2fa/disable",
      token: mfa.token,
      json: { password: PASSWORD, code: codes[0] },
    });
    expect(disabled.status, disabled.text).toBe(200);

    // email verification and password reset through the mailed links
    const verify = await send({ method: "POST", path: "/auth/verify-email", ...auth });
    expect(verify.status, verify.text).toBe(200);
    // Registering mailed a first link; asking again mailed a second one, which replaced it.
    await expect
      .poll(() => mail.messages.filter((m) => m.to.includes(user.email) && /verify/i.test(m.subject)).length)
      .toBe(2);
    const verifyMail = mail.messages.filter((m) => m.to.includes(user.email) && /verify/i.test(m.subject)).at(-1)!;
    const verifyToken = new URL(linkIn(verifyMail, "verify-email")).searchParams.get("token")!;
    expect(
      (await send({ method: "POST", path: "/auth/verify-email/confirm", json: { token: verifyToken } })).status,
    ).toBe(200);
    expect((await send({ method: "POST", path: "/auth/reset-password", json: { email: other.email } })).status).toBe(
      200,
    );
    const resetToken = new URL(resetLinkIn(await mail.waitFor(other.email, /reset/i))).searchParams.get("token")!;
    const reset = await send({
      method: "POST",
      path: "/auth/reset-password/confirm",
      json: { token: resetToken, password: NEW_PASSWORD },
    });
    expect(reset.status, reset.text).toBe(200);
    const changed = await send({
      method: "POST",
      path: "/auth/change-password",
      token: (await login(other.email, NEW_PASSWORD)).access_token,
      json: { currentPassword: NEW_PASSWORD, newPassword: PASSWORD },
    });
    expect(changed.status, changed.text).toBe(200);

    // users
    await send({ path: "/users/me", ...auth });
    expect((await send({ method: "PATCH", path: "/users/me", ...auth, json: { firstName: "Ada" } })).status).toBe(200);
    await send({ path: "/users/me/security-activity", ...auth });
    expect((await send({ path: `/users/${other.id}`, ...auth })).status).toBe(200);
    const newAddress = `${unique()}@example.com`;
    const changeEmail = await send({
      method: "POST",
      path: "/users/me/email",
      ...auth,
      json: { newEmail: newAddress, password: PASSWORD },
    });
    expect(changeEmail.status, changeEmail.text).toBe(200);
    const form = new FormData();
    form.set("file", new Blob([new Uint8Array(await png())], { type: "image/png" }), "me.png");
    expect((await send({ method: "POST", path: "/users/me/avatar", ...auth, rawBody: form })).status).toBe(201);
    const avatar = await fetch(`${portal.url}/api/v1/users/${user.id}/avatar`);
    conforms(
      "GET",
      `/users/${user.id}/avatar`,
      { status: avatar.status, contentType: avatar.headers.get("content-type"), text: "", body: null },
      true,
    );
    const notModified = await fetch(`${portal.url}/api/v1/users/${user.id}/avatar`, {
      headers: { "if-none-match": avatar.headers.get("etag")! },
    });
    expect(notModified.status).toBe(304);
    conforms(
      "GET",
      `/users/${user.id}/avatar`,
      { status: 304, contentType: null, text: await notModified.text(), body: null },
      false,
    );
    expect((await send({ method: "DELETE", path: "/users/me/avatar", ...auth })).status).toBe(204);
    expect((await send({ path: `/users/${user.id}/avatar` })).status).toBe(404);

    // climbs
    const climb = await send({ method: "POST", path: "/climbs", ...auth, json: { name: unique(), grade: "6b+" } });
    expect(climb.status, climb.text).toBe(201);
    const climbId = (climb.body as { id: string }).id;
    expect((await send({ path: "/climbs", ...auth, query: { search: "conf", pageSize: "5" } })).status).toBe(200);
    expect((await send({ path: "/climbs", ...auth, query: { gradeFrom: "6a", gradeTo: "7a+" } })).status).toBe(200);
    expect((await send({ path: `/climbs/${climbId}`, ...auth })).status).toBe(200);
    expect((await send({ method: "PATCH", path: `/climbs/${climbId}`, ...auth, json: { grade: "7a" } })).status).toBe(
      200,
    );
    expect((await send({ path: "/climbs/stats", ...admin, query: { days: "7" } })).status).toBe(200);
    expect((await send({ method: "DELETE", path: `/climbs/${climbId}`, ...auth })).status).toBe(204);

    // API keys
    const key = await send({ method: "POST", path: "/api-keys", ...auth, json: { name: "script" } });
    expect(key.status, key.text).toBe(201);
    expect((await send({ path: "/api-keys", ...auth })).status).toBe(200);
    expect(
      (await send({ method: "DELETE", path: `/api-keys/${(key.body as { id: string }).id}`, ...auth })).status,
    ).toBe(204);

    // the OpenID provider's clients and keys
    const client = await send({
      method: "POST",
      path: "/admin/oauth-clients",
      ...admin,
      json: { name: "conformance", redirect_uris: ["http://127.0.0.1/cb"], type: "confidential" },
    });
    expect(client.status, client.text).toBe(201);
    const clientId = (client.body as { client_id: string }).client_id;
    expect((await send({ path: "/admin/oauth-clients", ...admin })).status).toBe(200);
    const renamed = await send({
      method: "PATCH",
      path: `/admin/oauth-clients/${clientId}`,
      ...admin,
      json: { name: "renamed" },
    });
    expect(renamed.status, renamed.text).toBe(200);
    expect((await send({ method: "DELETE", path: `/admin/oauth-clients/${clientId}`, ...admin })).status).toBe(204);
    expect((await send({ method: "POST", path: "/admin/oauth-keys/rotate", ...admin })).status).toBe(200);

    // administration, on a fresh target
    const target = await account();
    expect((await send({ path: "/admin/stats", ...admin, query: { days: "30" } })).status).toBe(200);
    expect(
      (await send({ path: "/admin/users", ...admin, query: { search: target.name, active: "true" } })).status,
    ).toBe(200);
    expect((await send({ path: `/admin/users/${target.id}`, ...admin })).status).toBe(200);
    const targetSessions = await send({ path: `/admin/users/${target.id}/sessions`, ...admin });
    expect(targetSessions.status, targetSessions.text).toBe(200);
    const [targetSession] = targetSessions.body as { id: string }[];
    expect(
      (await send({ method: "DELETE", path: `/admin/users/${target.id}/sessions/${targetSession!.id}`, ...admin }))
        .status,
    ).toBe(204);
    expect((await send({ path: `/admin/users/${target.id}/security-activity`, ...admin })).status).toBe(200);
    expect(
      (await send({ method: "PATCH", path: `/admin/users/${target.id}`, ...admin, json: { firstName: "Tom" } })).status,
    ).toBe(200);
    expect(
      (await send({ method: "PUT", path: `/admin/users/${target.id}/role`, ...admin, json: { role: "MODERATOR" } }))
        .status,
    ).toBe(200);
    expect((await send({ method: "PUT", path: `/admin/users/${target.id}/deactivate`, ...admin })).status).toBe(200);
    expect((await send({ method: "PUT", path: `/admin/users/${target.id}/activate`, ...admin })).status).toBe(200);
    expect((await send({ method: "POST", path: `/admin/users/${target.id}/unlock`, ...admin })).status).toBe(200);
    expect((await send({ method: "POST", path: `/admin/users/${target.id}/verify-email`, ...admin })).status).toBe(200);
    const twoFactorTarget = await withTwoFactor();
    expect(
      (await send({ method: "POST", path: `/admin/users/${twoFactorTarget.id}/reset-2fa`, ...admin })).status,
    ).toBe(200);
    expect((await send({ path: "/audit", ...admin, query: { limit: "5" } })).status).toBe(200);
    const csv = await send({ path: "/audit", ...admin, query: { format: "csv", limit: "5" } });
    expect(csv.status).toBe(200);
    expect((await send({ method: "DELETE", path: `/admin/users/${target.id}`, ...admin })).status).toBe(204);

    // signing out and deleting one's account come last
    // The password change above signed `other` out elsewhere: a new session, then out of all of them.
    const otherAgain = await login(other.email, PASSWORD);
    expect((await send({ method: "POST", path: "/auth/logout-all", token: otherAgain.access_token })).status).toBe(200);
    const leaving = await account();
    expect(
      (await send({ method: "POST", path: "/auth/logout", token: (await login(leaving.email, PASSWORD)).access_token }))
        .status,
    ).toBe(204);
    expect(
      (await send({ method: "DELETE", path: "/users/me", token: leaving.token, json: { password: PASSWORD } })).status,
    ).toBe(204);
  });

  it("every operation answers invalid input, a missing credential and HEAD as documented", async () => {
    const user = await account();
    for (const { path, method, operation } of operations) {
      const concrete = path.replace(/\{\w+\}/g, user.id);
      const verb = method.toUpperCase();
      const staffOnly = ["/admin", "/climbs/stats", "/audit"].some((prefix) => path.startsWith(prefix));
      const token = staffOnly ? adminToken : user.token;
      const secured =
        (operation.security ?? []).length > 0 &&
        !(operation.security ?? []).some((entry) => Object.keys(entry as object).length === 0);

      if (secured) {
        const anonymous = await send({ method: verb, path: concrete });
        expect(anonymous.status, `${verb} ${path} without a credential`).toBe(401);
        const forged = await send({ method: verb, path: concrete, token: "not-a-token" });
        expect(forged.status, `${verb} ${path} with a forged token`).toBe(401);
      }
      if (path.includes("{")) {
        const longId = await send({ method: verb, path: path.replace(/\{\w+\}/g, "x".repeat(65)), token });
        if (operation.responses["422"]) expect(longId.status, `${verb} ${path} with a 65-character id`).toBe(422);
      }
      if (verb === "GET") {
        const head = await send({ method: "HEAD", path: concrete, token });
        const get = await fetch(`${portal.url}/api/v1${concrete}`, { headers: { authorization: `Bearer ${token}` } });
        expect(head.status, `HEAD ${path}`).toBe(get.status);
      }

      const json = operation.requestBody?.content["application/json"];
      if (json) {
        const malformed = await send({
          method: verb,
          path: concrete,
          token,
          rawBody: "{not json",
          headers: { "content-type": "application/json" },
        });
        expect(malformed.status, `${verb} ${path} with malformed JSON`).toBe(400);
        const huge = await send({
          method: verb,
          path: concrete,
          token,
          json: { padding: "x".repeat(1024 * 1024 + 10) },
        });
        expect(huge.status, `${verb} ${path} with a body over 1 MB`).toBe(413);
        const unknownKey = await send({ method: verb, path: concrete, token, json: { zzUnknown: 1 } });
        expect(unknownKey.status, `${verb} ${path} with an unknown key`).toBe(422);
        expect(JSON.stringify((unknownKey.body as { errors?: unknown }).errors)).toContain('"zzUnknown"');
        const schema = (json.schema?.$ref as string | undefined)?.split("/").pop();
        const properties = Object.keys((document.components.schemas[schema!]?.properties as object | undefined) ?? {});
        for (const property of properties) {
          const wrongType = await send({ method: verb, path: concrete, token, json: { [property]: { nested: [1] } } });
          expect(wrongType.status, `${verb} ${path} with ${property} of the wrong type`).toBe(422);
          const fields = ((wrongType.body as { errors?: { field: string }[] }).errors ?? []).map(
            (error) => error.field,
          );
          // The property itself, or a field inside it (an object answered with another shape).
          const named = fields.some((field) => field === property || field.startsWith(`${property}.`));
          expect(named, `${verb} ${path}: ${wrongType.text}`).toBe(true);
        }
      }
      for (const parameter of operation.parameters ?? []) {
        if (parameter.in !== "query" || parameter.name === "format") continue;
        const members = [parameter.schema, ...((parameter.schema.anyOf as Schema[] | undefined) ?? [])];
        const maxLength = members.map((member) => member.maxLength as number | undefined).find(Boolean);
        const anyString = members.some(
          (member) =>
            member.type === "string" && !member.enum && !member.format && !member.pattern && !member.maxLength,
        );
        // Too long where there is a limit; otherwise a word no number, boolean, enum or date accepts.
        const value = maxLength ? "y".repeat(maxLength + 1) : anyString ? null : "not-valid-here";
        if (value === null) continue;
        const wrong = await send({ method: verb, path: concrete, token, query: { [parameter.name]: value } });
        expect(wrong.status, `${verb} ${path}?${parameter.name}=…`).toBe(422);
        const fields = ((wrong.body as { errors?: { field: string }[] }).errors ?? []).map((error) => error.field);
        expect(fields, `${verb} ${path}?${parameter.name}: ${wrong.text}`).toContain(parameter.name);
      }
    }
  });

  it("every operation of the document was called and answered a success", () => {
    const missing = operations
      .map(({ operation }) => operation.operationId)
      .filter((id) => ![...(seen.get(id) ?? [])].some((status) => status < 400));
    expect(missing).toEqual([]);
  });
});
