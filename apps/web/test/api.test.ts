// Users, admin, climbs, audit and avatars over real HTTP against the production build, on both
// databases: the permission matrix, the invariants, and avatar acceptance and refusal.
import bcrypt from "bcryptjs";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase, type Db } from "@mastoc/db";
import { loadConfig } from "@mastoc/api";
import { actors, matrixCases, prepareCase, procedureAt } from "@mastoc/api/test/matrix";
import { TRPCClientError } from "@trpc/client";
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  httpStatusOf,
  PORTAL_JWT_SECRET,
  startPortal,
  trpcClient,
  type Portal,
  tokensOf,
  webSignIn,
} from "./support";

const PASSWORD = "Sloper-Traverse-Heel-58";
let counter = 0;
const uniqueName = () => `api${Date.now().toString(36)}${counter++}`;

const png = () =>
  sharp({ create: { width: 64, height: 48, channels: 3, background: "#3366cc" } })
    .png()
    .toBuffer();

describe.each(["sqlite", "postgresql"] as const)("API over HTTP (%s)", (provider) => {
  let portal: Portal;
  let db: Db;
  let adminToken: string;

  beforeAll(async () => {
    portal = await startPortal({ provider });
    db = createDatabase(portal.database).db;
    adminToken = tokensOf(
      await trpcClient(portal.url).auth.login.mutate({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }),
    ).access_token;
  });
  afterAll(async () => {
    await db?.$disconnect();
    await portal?.stop();
  });

  async function signedIn(role: "USER" | "MODERATOR" | "ADMIN" = "USER") {
    const name = uniqueName();
    const user = await trpcClient(portal.url).auth.register.mutate({
      email: `${name}@example.com`,
      username: name,
      password: PASSWORD,
    });
    if (role !== "USER")
      await trpcClient(portal.url, { token: adminToken }).admin.setRole.mutate({ id: user.id, role });
    const tokens = tokensOf(await trpcClient(portal.url).auth.login.mutate({ email: name, password: PASSWORD }));
    return { user, token: tokens.access_token, api: trpcClient(portal.url, { token: tokens.access_token }) };
  }

  describe("queries without input, answered before tRPC's adapter", () => {
    /** The same call answered on the direct path (a plain GET) and by tRPC's adapter (a batch of one). */
    async function bothWays(path: string, headers: Record<string, string>) {
      const plain = await fetch(`${portal.url}/api/trpc/${path}`, { headers });
      const batch = await fetch(`${portal.url}/api/trpc/${path}?batch=1`, { headers });
      const header = (response: Response) =>
        Object.fromEntries(
          ["content-type", "cache-control", "vary", "retry-after"].map((name) => [name, response.headers.get(name)]),
        );
      // The direct path is the one that sends a Content-Length (tRPC's adapter streams its answer).
      expect(plain.headers.get("content-length"), path).not.toBeNull();
      expect(batch.headers.get("content-length"), path).toBeNull();
      return {
        plain: { status: plain.status, headers: header(plain), body: await plain.json() },
        batch: { status: batch.status, headers: header(batch), body: ((await batch.json()) as unknown[])[0] },
      };
    }

    it("answers exactly what tRPC answers: status, headers and body, for every credential and refusal", async () => {
      const user = await signedIn();
      const key = await user.api.apiKeys.create.mutate({ name: "same answer" });
      const name = uniqueName();
      await trpcClient(portal.url).auth.register.mutate({
        email: `${name}@example.com`,
        username: name,
        password: PASSWORD,
      });
      const { cookie } = await webSignIn(portal.url, `${name}@example.com`, PASSWORD);
      const callers: Record<string, Record<string, string>> = {
        anonymous: {},
        bearer: { authorization: `Bearer ${user.token}` },
        admin: { authorization: `Bearer ${adminToken}` },
        apiKey: { "x-api-key": key.key },
        cookie: { cookie: cookie! },
        "dead token": { authorization: "Bearer not.a.token" },
        "malformed header": { authorization: "Basic abc" },
      };
      const paths = [
        "auth.me",
        "auth.status",
        "auth.sessions",
        "apiKeys.list",
        "passkeys.list",
        "users.securityActivity",
        "auth.twoFactor.status",
        // Without input, a schema that needs one: a field error.
        "admin.listUsers",
      ];
      const statuses = new Set<number>();
      for (const [who, headers] of Object.entries(callers)) {
        for (const path of paths) {
          const { plain, batch } = await bothWays(path, headers);
          expect(plain, `${who} ${path}`).toEqual(batch);
          statuses.add(plain.status);
        }
      }
      // The comparison covered answers and refusals alike.
      expect([...statuses].sort()).toEqual([200, 400, 401, 403]);
    });

    it("leaves everything else to tRPC: unknown and prototype paths, mutations, inputs, other content types", async () => {
      for (const path of ["no.such", "__proto__", "constructor", "auth.login"]) {
        const response = await fetch(`${portal.url}/api/trpc/${path}`);
        expect([404, 405], path).toContain(response.status);
        expect(((await response.json()) as { error: { json: { message: string } } }).error.json.message).toMatch(
          /No procedure found|Unsupported GET-request/,
        );
      }
      const typed = await fetch(`${portal.url}/api/trpc/auth.status`, { headers: { "content-type": "text/plain" } });
      expect(typed.status).toBe(200);
      const withInput = await fetch(
        `${portal.url}/api/trpc/admin.stats?input=${encodeURIComponent(JSON.stringify({ json: { days: 400 } }))}`,
        { headers: { authorization: `Bearer ${adminToken}` } },
      );
      expect(withInput.status).toBe(400);
    });
  });

  describe("permission matrix", () => {
    const config = () =>
      loadConfig({ ...process.env, NODE_ENV: "test", JWT_SECRET: PORTAL_JWT_SECRET, MASTOC_DATA_DIR: portal.dataDir });
    for (const matrixCase of matrixCases) {
      it(`every role → ${matrixCase.name} (${matrixCase.path})`, async () => {
        for (const actor of actors) {
          const { fixture, token } = await prepareCase(db, config(), actor, (password) => bcrypt.hash(password, 4));
          const client = trpcClient(portal.url, token ? { token } : {});
          const procedure = procedureAt(client, matrixCase.path) as Record<
            "query" | "mutate",
            (input: unknown) => Promise<unknown>
          >;
          let outcome = "ok";
          try {
            await procedure[matrixCase.type === "query" ? "query" : "mutate"](matrixCase.input?.(fixture));
          } catch (error) {
            outcome = error instanceof TRPCClientError ? (error.data as { code: string }).code : String(error);
          }
          expect(`${actor}: ${outcome}`).toBe(`${actor}: ${matrixCase.expect[actor]}`);
        }
      });
    }
  });

  it("a USER gets 403 from admin.* and audit.list; an anonymous caller 401", async () => {
    const { api } = await signedIn();
    expect(await httpStatusOf(api.admin.listUsers.query({}))).toBe(403);
    expect(await httpStatusOf(api.admin.setRole.mutate({ id: "x", role: "ADMIN" }))).toBe(403);
    expect(await httpStatusOf(api.audit.list.query({}))).toBe(403);
    expect(await httpStatusOf(trpcClient(portal.url).admin.listUsers.query({}))).toBe(401);
  });

  it("a moderator lists users and edits any climb (recorded as updatedById) but cannot change roles", async () => {
    const owner = await signedIn();
    const moderator = await signedIn("MODERATOR");
    expect((await moderator.api.admin.listUsers.query({ query: owner.user.username })).items[0]?.id).toBe(
      owner.user.id,
    );
    const climb = await owner.api.climbs.create.mutate({ name: "Moderated", grade: "6C+" });
    const updated = await moderator.api.climbs.update.mutate({ id: climb.id, description: "Fixed the grade note" });
    expect(updated).toMatchObject({ createdById: owner.user.id, updatedById: moderator.user.id });
    expect(await httpStatusOf(moderator.api.admin.setRole.mutate({ id: owner.user.id, role: "MODERATOR" }))).toBe(403);
    expect(await httpStatusOf(owner.api.climbs.delete.mutate({ id: "missing" }))).toBe(404);
  });

  it("the last admin cannot be demoted: 409 with a clear message", async () => {
    const other = await signedIn("ADMIN");
    const bootstrap = await trpcClient(portal.url, { token: adminToken }).auth.me.query();
    // Demote every other administrator so that `other` is the last one, then try to remove them.
    await db.user.updateMany({ where: { role: "ADMIN", id: { not: other.user.id } }, data: { role: "USER" } });
    expect(await httpStatusOf(other.api.admin.setRole.mutate({ id: other.user.id, role: "USER" }))).toBe(403);
    await expect(other.api.users.deleteMe.mutate({ password: PASSWORD })).rejects.toThrow(
      /At least one active administrator must remain/,
    );
    expect(await httpStatusOf(other.api.users.deleteMe.mutate({ password: PASSWORD }))).toBe(409);
    // Restore the bootstrap admin for the other tests.
    await other.api.admin.setRole.mutate({ id: bootstrap.id, role: "ADMIN" });
  });

  it("the audit log shows the climb's creation by its actor", async () => {
    const creator = await signedIn();
    const climb = await creator.api.climbs.create.mutate({ name: "Audited", grade: "V4" });
    const { items } = await trpcClient(portal.url, { token: adminToken }).audit.list.query({ targetId: climb.id });
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      action: "climb.create",
      actorId: creator.user.id,
      targetType: "climb",
      targetId: climb.id,
    });
    expect(items[0]!.ip).toBe("127.0.0.1");
  });

  describe("avatars", () => {
    const upload = (token: string, body: BodyInit, headers: Record<string, string> = {}) =>
      fetch(`${portal.url}/api/users/me/avatar`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, ...headers },
        body,
      });
    const form = (bytes: Uint8Array, name: string, type: string) => {
      const data = new FormData();
      data.set("file", new Blob([new Uint8Array(bytes)], { type }), name);
      return data;
    };

    it("a PNG round-trips as a re-encoded image with content type, ETag and 304", async () => {
      const { user, token, api } = await signedIn();
      const response = await upload(token, form(await png(), "me.png", "image/png"));
      expect(response.status).toBe(201);
      const { image } = (await response.json()) as { image: string };
      expect((await api.users.me.query()).image).toBe(image);
      const download = await fetch(`${portal.url}${image}`);
      expect(download.status).toBe(200);
      expect(download.headers.get("content-type")).toBe("image/webp");
      expect(download.headers.get("x-content-type-options")).toBe("nosniff");
      const etag = download.headers.get("etag");
      expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
      expect(await sharp(Buffer.from(await download.arrayBuffer())).metadata()).toMatchObject({
        format: "webp",
        width: 256,
        height: 256,
      });
      const again = await fetch(`${portal.url}/api/users/${user.id}/avatar`, { headers: { "if-none-match": etag! } });
      expect(again.status).toBe(304);
      // The public profile shows it too, and removing it makes the download 404.
      expect((await api.users.byId.query({ id: user.id })).image).toBe(image);
      expect(
        (
          await fetch(`${portal.url}/api/users/me/avatar`, {
            method: "DELETE",
            headers: { authorization: `Bearer ${token}` },
          })
        ).status,
      ).toBe(200);
      expect((await fetch(`${portal.url}/api/users/${user.id}/avatar`)).status).toBe(404);
    });

    it("refuses SVG (415), HTML named .png (415), a fake PNG (400) and a 6 MB body (413), changing nothing", async () => {
      const { user, token } = await signedIn();
      const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
      expect((await upload(token, form(svg, "a.svg", "image/svg+xml"))).status).toBe(415);
      const html = Buffer.from("<html><body><script>alert(document.cookie)</script></body></html>");
      expect((await upload(token, form(html, "cat.png", "image/png"))).status).toBe(415);
      const fake = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), html]);
      const fakeResponse = await upload(token, form(fake, "cat.png", "image/png"));
      expect(fakeResponse.status).toBe(400);
      expect(fakeResponse.headers.get("content-type")).toBe("application/problem+json; charset=utf-8");
      expect(await fakeResponse.json()).toEqual({
        type: "about:blank",
        title: "Bad Request",
        status: 400,
        detail: "The file is not a valid image",
        code: "BAD_REQUEST",
        errors: [{ field: "file", message: "The file is not a valid image" }],
      });
      const big = await upload(token, form(Buffer.alloc(6 * 1024 * 1024, 1), "big.png", "image/png"));
      expect(big.status).toBe(413);
      expect(await db.avatar.count({ where: { userId: user.id } })).toBe(0);
    });

    it("an upload without credentials is 401, a user without avatar is 404", async () => {
      expect(
        (
          await fetch(`${portal.url}/api/users/me/avatar`, {
            method: "POST",
            body: form(await png(), "a.png", "image/png"),
          })
        ).status,
      ).toBe(401);
      const { user } = await signedIn();
      expect((await fetch(`${portal.url}/api/users/${user.id}/avatar`)).status).toBe(404);
    });
    // Last in its portal: the server stops reading and answers early, so the client's connection is closed.
    it("refuses an oversize body sent without a length (streamed) with 413", async () => {
      const { token } = await signedIn();
      const chunk = new Uint8Array(256 * 1024);
      let sent = 0;
      const stream = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent >= 24) return controller.close();
          sent++;
          controller.enqueue(chunk);
        },
      });
      const response = await fetch(`${portal.url}/api/users/me/avatar`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "multipart/form-data; boundary=x" },
        body: stream,
        duplex: "half",
      } as RequestInit);
      expect(response.status).toBe(413);
    });
  });
});
