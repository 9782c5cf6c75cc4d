// Hostile input against the production server, on both databases: every tRPC procedure and every
// HTTP route gets generated inputs (lone surrogates, NUL, huge and deep values, out-of-range
// dates, malformed encodings and cookies) and must answer each with a 2xx–4xx that leaks nothing:
// no 5xx, no stack trace, no database text, no secret. Bounded in runs and time for CI.
import fc from "fast-check";
import superjson from "superjson";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRouter } from "@mastoc/api";
import { routerProcedures } from "@mastoc/api/trpc-router";
import { createDatabase, type Db } from "@mastoc/db";
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  PORTAL_JWT_SECRET,
  startPortal,
  trpcClient,
  webSignIn,
  type Portal,
  tokensOf,
} from "./support";

const PASSWORD = "Undercling-Arete-Pinch-73";
/** Runs per procedure or route, and a ceiling on each property's time. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 12);
const TIME_LIMIT_MS = 20_000;

/** What a response must never show: stack frames, database or driver text, secrets and their hashes. */
const LEAKS = [
  /\n\s+at [\w.<>]+ \(/,
  /prisma/i,
  /Invalid `/,
  /SQLITE_/,
  /violates|duplicate key|syntax error at/i,
  /node_modules/,
  /\$2[aby]\$\d\d\$/,
  /passwordHash|tokenHash|keyHash/,
];

type Shape = { keys: string[] };

/** The top-level keys an input schema expects, so generated inputs reach past the first check. */
function inputKeys(schema: unknown): string[] {
  let current = schema as { shape?: Record<string, unknown>; def?: { innerType?: unknown; in?: unknown } } | undefined;
  for (let depth = 0; current && depth < 5; depth++) {
    if (current.shape) return Object.keys(current.shape);
    current = (current.def?.innerType ?? current.def?.in) as typeof current;
  }
  return [];
}

const procedures = routerProcedures(appRouter).map(({ path, type, input }) => ({
  path,
  type,
  shape: { keys: inputKeys(input) } satisfies Shape,
}));

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code));
const hostileString = fc.oneof(
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.tuple(fc.string({ maxLength: 8 }), loneSurrogate, fc.string({ maxLength: 8 })).map((parts) => parts.join("")),
  fc.tuple(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 })).map(([a, b]) => `${a}\u0000${b}`),
  fc.constantFrom(
    "\ud800@x",
    "a\u0000b",
    "%00",
    "%E0%A4%A",
    '\'; DROP TABLE "User"; --',
    '" OR 1=1 --',
    "__proto__",
    "constructor",
    "<script>alert(1)</script>",
    "../../../../etc/passwd",
    "\u202egnp.exe",
    "javascript:alert(1)",
    "${{7*7}}",
    "admin@localhost",
    "",
  ),
  fc.integer({ min: 1_000, max: 300_000 }).map((length) => "x".repeat(length)),
);
const hostileNumber = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true }),
  fc.constantFrom(0, -1, 1e308, -1e308, Number.MAX_SAFE_INTEGER, 2 ** 63, 1e21, 0.5),
);
const hostileDate = fc.oneof(
  fc.date({ noInvalidDate: true }),
  fc.constantFrom(new Date(253402300800000), new Date(8.64e15), new Date(-8.64e15), new Date(0), new Date(NaN)),
);
const { value: hostileValue } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    hostileString,
    hostileNumber,
    hostileDate,
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(hostileString, tie("value"), { maxKeys: 4 }),
  ),
}));
/** JSON text nested `depth` levels deep, as arrays or objects (built as text: no serializer recursion). */
const deepJson = fc
  .tuple(fc.integer({ min: 30, max: 5_000 }), fc.boolean())
  .map(([depth, arrays]) =>
    arrays ? `${"[".repeat(depth)}1${"]".repeat(depth)}` : `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`,
  );

/** The tRPC envelope of an input: superjson's, or plain JSON where superjson refuses the value. */
function envelopeOf(input: Input): string | undefined {
  if (input.raw !== undefined) return `{"json":${input.raw}}`;
  if (input.value === undefined) return undefined;
  try {
    return JSON.stringify(superjson.serialize(input.value));
  } catch {
    return JSON.stringify({ json: input.value });
  }
}
type Input = { value?: unknown; raw?: string };

/** An input for a procedure: mostly objects with its own keys and hostile values, sometimes anything. */
function inputFor(shape: Shape): fc.Arbitrary<Input> {
  const shaped =
    shape.keys.length > 0
      ? fc.record(Object.fromEntries(shape.keys.map((key) => [key, hostileValue])), { requiredKeys: [] })
      : hostileValue;
  return fc.oneof(
    { weight: 6, arbitrary: shaped.map((value) => ({ value })) },
    { weight: 2, arbitrary: hostileValue.map((value) => ({ value })) },
    { weight: 1, arbitrary: deepJson.map((raw) => ({ raw })) },
  );
}

/** Header values fetch can send (no CR, LF or NUL). */
const headerValue = fc
  .oneof(fc.string({ unit: "binary-ascii", maxLength: 200 }), fc.constantFrom("Bearer ", "Bearer mk_", "Bearer a.b.c"))
  .filter((value) => /^[\t\x20-\x7e]*$/.test(value));
const hostileCookie = fc.oneof(
  headerValue,
  fc.constantFrom(
    "next-auth.callback-url=javascript:alert(1)",
    "__Secure-next-auth.callback-url=javascript%3Aalert(1)",
    "next-auth.session-token=%E0%A4%A",
    "next-auth.session-token=eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..x.y.z",
    "next-auth.session-token.0=abc; next-auth.session-token.1=def",
    "next-auth.csrf-token=%ZZ",
    "=; ;=;",
  ),
);

describe.each(["sqlite", "postgresql"] as const)("hostile input over HTTP (%s)", (provider) => {
  let portal: Portal;
  let db: Db;
  let credentials: { name: string; headers: Record<string, string> }[];
  let victim: { id: string; token: string };

  beforeAll(async () => {
    portal = await startPortal({
      provider,
      env: { MAX_LOGIN_ATTEMPTS_PER_IP: "1000000", MAX_REGISTRATIONS_PER_IP: "1000000" },
    });
    db = createDatabase(portal.database).db;
    const admin = tokensOf(
      await trpcClient(portal.url).auth.login.mutate({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }),
    );
    // An API key: a call to auth.logoutAll during the run does not end it.
    const { key } = await trpcClient(portal.url, { token: admin.access_token }).apiKeys.create.mutate({ name: "fuzz" });
    const name = `fz${Date.now().toString(36)}`;
    const user = await trpcClient(portal.url).auth.register.mutate({
      email: `${name}@example.com`,
      username: name,
      password: PASSWORD,
    });
    const login = tokensOf(await trpcClient(portal.url).auth.login.mutate({ email: user.email, password: PASSWORD }));
    victim = { id: user.id, token: login.access_token };
    const { cookie } = await webSignIn(portal.url, ADMIN_EMAIL, ADMIN_PASSWORD);
    credentials = [
      { name: "anonymous", headers: {} },
      { name: "admin API key", headers: { "x-api-key": key } },
      { name: "admin web cookie", headers: { cookie: cookie! } },
    ];
  });
  afterAll(async () => {
    await db?.$disconnect();
    await portal?.stop();
  });

  async function expectHarmless(label: string, response: Response) {
    const body = await response.text();
    if (response.status >= 500 || LEAKS.some((pattern) => pattern.test(body)) || body.includes(PORTAL_JWT_SECRET)) {
      throw new Error(`${label} → ${response.status}: ${body.slice(0, 600)}`);
    }
  }

  /** Sends one tRPC call as a client would (superjson envelope), GET for queries and POST for mutations. */
  function call(path: string, type: string, input: Input, headers: Record<string, string>) {
    const envelope = envelopeOf(input);
    const url = `${portal.url}/api/trpc/${path}`;
    if (type === "query") {
      const target = envelope === undefined ? url : `${url}?input=${encodeURIComponent(envelope)}`;
      // Node refuses a request line longer than its header limit (16 KiB) before any handler runs,
      // closing the connection; that refusal is the expected answer to such a URL.
      if (target.length > 16 * 1024) {
        return fetch(target, { headers }).catch(() => new Response("request line refused", { status: 431 }));
      }
      return fetch(target, { headers });
    }
    return fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: envelope });
  }

  for (const procedure of procedures) {
    it(`${procedure.path}: generated inputs never cause a 5xx or a leak`, async () => {
      await fc.assert(
        fc.asyncProperty(inputFor(procedure.shape), fc.nat(2), async (input, who) => {
          const credential = credentials[who]!;
          const response = await call(procedure.path, procedure.type, input, credential.headers);
          await expectHarmless(`${procedure.path} as ${credential.name} with ${describeInput(input)}`, response);
        }),
        { numRuns: RUNS, interruptAfterTimeLimit: TIME_LIMIT_MS, endOnFailure: true },
      );
    });
  }

  it("raw request bodies, methods and URLs on /api/trpc never cause a 5xx or a leak", async () => {
    const body = fc.oneof(
      fc.string({ unit: "binary", maxLength: 200 }),
      fc.constantFrom("{", "[]", "null", '{"json":', '{"json":{},"meta":{"values":{"a":["Date"]}}}', "\u0000"),
      deepJson,
      fc.integer({ min: 1, max: 6 }).map((megabytes) => `{"json":"${"a".repeat(megabytes * 1024 * 1024)}"}`),
    );
    const path = fc.oneof(
      fc.constantFrom(...procedures.map((procedure) => procedure.path)),
      fc.string({ unit: "binary-ascii", maxLength: 40 }).map(encodeURIComponent),
      fc.constantFrom("%ZZ", "%E0%A4%A", "auth.login,auth.login", Array(40).fill("auth.status").join(","), "__proto__"),
    );
    await fc.assert(
      fc.asyncProperty(
        path,
        body,
        fc.constantFrom("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"),
        fc.constantFrom(
          "application/json",
          "text/plain",
          "multipart/form-data; boundary=x",
          "application/x-www-form-urlencoded",
        ),
        fc.boolean(),
        async (target, payload, method, contentType, batch) => {
          const url = `${portal.url}/api/trpc/${target}${batch ? "?batch=1" : ""}`;
          const response = await fetch(url, {
            method,
            headers: { "content-type": contentType },
            body: method === "GET" ? undefined : payload,
          });
          await expectHarmless(`${method} ${url}`, response);
        },
      ),
      { numRuns: RUNS * 5, interruptAfterTimeLimit: TIME_LIMIT_MS * 2, endOnFailure: true },
    );
  });

  it("hostile headers and cookies on every kind of route never cause a 5xx or a leak", async () => {
    const routes = [
      "/api/trpc/auth.status",
      "/api/trpc/auth.me",
      "/api/auth/session",
      "/api/auth/csrf",
      "/api/auth/providers",
      `/api/users/${"x"}/avatar`,
      "/login",
      "/profile",
      "/admin/users",
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        headerValue,
        headerValue,
        hostileCookie,
        async (route, auth, key, cookie) => {
          const response = await fetch(`${portal.url}${route}`, {
            redirect: "manual",
            headers: { authorization: auth, "x-api-key": key, cookie },
          });
          await expectHarmless(`${route} with authorization=${auth} x-api-key=${key} cookie=${cookie}`, response);
        },
      ),
      { numRuns: RUNS * 5, interruptAfterTimeLimit: TIME_LIMIT_MS * 2, endOnFailure: true },
    );
  });

  it("hostile path segments, query strings and uploads on the HTTP routes and pages never cause a 5xx or a leak", async () => {
    const segment = fc.oneof(
      fc
        .string({ unit: "binary", maxLength: 30 })
        .map((value) => encodeURIComponent(value.replace(/[\ud800-\udfff]/g, "?"))),
      fc.constantFrom("%00", "%E0%A4%A", "%ZZ", "..%2F..%2Fetc%2Fpasswd", "%C0%AE", "a".repeat(5000)),
    );
    const page = fc.constantFrom(
      "/login",
      "/register",
      "/reset-password",
      "/climbs",
      "/admin/users",
      "/admin/audit",
      "/profile",
    );
    const param = fc.constantFrom(
      "next",
      "token",
      "page",
      "query",
      "role",
      "sort",
      "order",
      "from",
      "to",
      "active",
      "grade",
      "reason",
    );
    const cookie = credentials[2]!.headers.cookie!;
    await fc.assert(
      fc.asyncProperty(segment, page, param, segment, async (id, path, name, value) => {
        await expectHarmless(`avatar ${id}`, await fetch(`${portal.url}/api/users/${id}/avatar`));
        const url = `${portal.url}${path}?${name}=${value}`;
        await expectHarmless(url, await fetch(url, { redirect: "manual", headers: { cookie } }));
      }),
      { numRuns: RUNS * 5, interruptAfterTimeLimit: TIME_LIMIT_MS * 2, endOnFailure: true },
    );
    const upload = fc.oneof(
      fc.uint8Array({ maxLength: 4096 }).map((bytes) => ({ type: "application/octet-stream", body: bytes })),
      fc.string({ maxLength: 200 }).map((text) => ({ type: "multipart/form-data; boundary=zz", body: text })),
      fc.constant({
        type: "multipart/form-data; boundary=zz",
        body: '--zz\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\nContent-Type: image/png\r\n\r\nnot a png\r\n--zz--\r\n',
      }),
    );
    await fc.assert(
      fc.asyncProperty(upload, fc.nat(2), async ({ type, body }, who) => {
        const response = await fetch(`${portal.url}/api/users/me/avatar`, {
          method: "POST",
          headers: { "content-type": type, ...credentials[who]!.headers },
          body,
        });
        await expectHarmless(`avatar upload (${type})`, response);
      }),
      { numRuns: RUNS * 3, interruptAfterTimeLimit: TIME_LIMIT_MS, endOnFailure: true },
    );
  });

  describe("the inputs that broke the server get a 4xx naming the problem, and change nothing", () => {
    const post = (path: string, json: string, headers: Record<string, string> = {}) =>
      fetch(`${portal.url}/api/trpc/${path}`, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: `{"json":${json}}`,
      });
    const get = (path: string, json: string, headers: Record<string, string> = {}) =>
      fetch(`${portal.url}/api/trpc/${path}?input=${encodeURIComponent(`{"json":${json}}`)}`, { headers });
    const bearer = () => ({ authorization: `Bearer ${victim.token}` });

    async function expectClientError(response: Response, status: number, message: RegExp) {
      const text = await response.text();
      expect(response.status, text).toBe(status);
      expect(text).toMatch(message);
      await expectHarmless("regression", new Response(text, { status: response.status }));
    }

    it("lone surrogates in sign-in, registration, profile, ids and searches", async () => {
      const before = await db.user.findUniqueOrThrow({ where: { id: victim.id } });
      await expectClientError(await post("auth.login", '{"email":"\\ud800@x","password":"x"}'), 400, /email/);
      await expectClientError(
        await post(
          "auth.register",
          '{"email":"a@b.co","username":"surro","password":"Crux-Crimp-Sloper-1","name":"\\udfff"}',
        ),
        400,
        /name/,
      );
      await expectClientError(await post("users.updateMe", '{"firstName":"a\\ud800"}', bearer()), 400, /firstName/);
      await expectClientError(await get("users.byId", '{"id":"\\ud800"}', bearer()), 400, /id/);
      await expectClientError(await get("climbs.list", '{"query":"\\udc00"}', bearer()), 400, /query/);
      expect(await db.user.findUniqueOrThrow({ where: { id: victim.id } })).toEqual(before);
      expect(await db.user.count({ where: { username: "surro" } })).toBe(0);
    });

    it("NUL characters in sign-in, searches, profile fields and the avatar URL", async () => {
      const before = await db.user.findUniqueOrThrow({ where: { id: victim.id } });
      await expectClientError(await post("auth.login", '{"email":"\\u0000","password":"x"}'), 400, /email.*NUL/);
      await expectClientError(await get("climbs.list", '{"query":"a\\u0000b"}', bearer()), 400, /query.*NUL/);
      await expectClientError(
        await post("users.updateMe", '{"firstName":"a\\u0000b"}', bearer()),
        400,
        /firstName.*NUL/,
      );
      await expectClientError(await fetch(`${portal.url}/api/users/%00/avatar`), 400, /NUL/);
      // Even under a property name that names a prototype property.
      await expectClientError(await get("auth.status", '{"constructor":"a\\u0000b"}'), 400, /not allowed/);
      expect(await db.user.findUniqueOrThrow({ where: { id: victim.id } })).toEqual(before);
    });

    it("audit dates from the year 10000 on", async () => {
      const headers = credentials[1]!.headers;
      for (const field of ["from", "to"]) {
        const response = await fetch(
          `${portal.url}/api/trpc/audit.list?input=${encodeURIComponent(
            JSON.stringify({
              json: { [field]: "+010000-01-01T00:00:00.000Z" },
              meta: { values: { [field]: ["Date"] } },
            }),
          )}`,
          { headers },
        );
        await expectClientError(response, 400, new RegExp(`${field}.*10000`));
      }
    });

    it("unknown keys named like Object's own methods (valueOf, toString, hasOwnProperty)", async () => {
      for (const key of ["valueOf", "toString", "hasOwnProperty"]) {
        const response = await post("auth.logout", `{"${key}":null,"<script>":true}`);
        await expectClientError(response, 400, new RegExp(`${key}: Unknown field`));
      }
    });

    it("malformed percent-encoding in a path", async () => {
      await expectClientError(await fetch(`${portal.url}/api/trpc/%ZZ`), 400, /percent-encoding/);
      await expectClientError(await fetch(`${portal.url}/api/users/%E0%A4%A/avatar`), 400, /percent-encoding/);
    });

    it("a planted javascript: callback-url cookie does not break NextAuth", async () => {
      for (const route of ["/api/auth/session", "/api/auth/csrf"]) {
        const response = await fetch(`${portal.url}${route}`, {
          headers: { cookie: "next-auth.callback-url=javascript:alert(1)" },
        });
        expect(response.status).toBe(200);
      }
      // And the browser can still sign in.
      const csrf = await fetch(`${portal.url}/api/auth/csrf`, {
        headers: { cookie: "next-auth.callback-url=javascript:alert(1)" },
      });
      expect(((await csrf.json()) as { csrfToken: string }).csrfToken).toMatch(/^[0-9a-f]{64}$/);
    });

    it("one request cannot buy more than one password hash: batches are bounded and sign-ins go alone", async () => {
      const failuresBefore = await db.auditLog.count({ where: { action: "auth.login.failure" } });
      const thirty = Array(30).fill("auth.login").join(",");
      const batchBody = JSON.stringify(
        Object.fromEntries(
          Array.from({ length: 30 }, (_, index) => [
            index,
            { json: { email: ADMIN_EMAIL, password: `Wrong-${index}-xx` } },
          ]),
        ),
      );
      const big = await fetch(`${portal.url}/api/trpc/${thirty}?batch=1`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: batchBody,
      });
      expect(big.status).toBe(400);
      const two = await fetch(`${portal.url}/api/trpc/auth.login,auth.login?batch=1`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          0: { json: { email: ADMIN_EMAIL, password: "Wrong-a-xx" } },
          1: { json: { email: ADMIN_EMAIL, password: "Wrong-b-xx" } },
        }),
      });
      const results = (await two.json()) as { error?: { json: { message: string } } }[];
      expect(results.map((result) => result.error?.json.message)).toEqual([
        "auth.login must be sent on its own, not in a batch",
        "auth.login must be sent on its own, not in a batch",
      ]);
      // No password was compared.
      expect(await db.auditLog.count({ where: { action: "auth.login.failure" } })).toBe(failuresBefore);
      // Ten cheap queries still share a request; eleven do not.
      const ten = await fetch(`${portal.url}/api/trpc/${Array(10).fill("auth.status").join(",")}?batch=1&input={}`);
      expect(ten.status).toBe(200);
      const eleven = await fetch(`${portal.url}/api/trpc/${Array(11).fill("auth.status").join(",")}?batch=1&input={}`);
      expect(eleven.status).toBe(400);
    });

    it("the password strength meter never puts a password in a URL", async () => {
      const viaGet = await get("auth.passwordStrength", '{"password":"Secret-In-Url-99"}');
      expect(viaGet.status).toBe(405);
      const viaPost = await post("auth.passwordStrength", '{"password":"Secret-In-Url-99"}');
      expect(viaPost.status).toBe(200);
      expect(
        ((await viaPost.json()) as { result: { data: { json: { score: number } } } }).result.data.json.score,
      ).toBeGreaterThan(2);
    });
  });
});

function describeInput(input: Input): string {
  const text = envelopeOf(input) ?? "no input";
  return text.length > 300 ? `${text.slice(0, 300)}… (${text.length} chars)` : text;
}
