// Every HTTP error the server writes outside tRPC's own protocol is one format: an RFC 9457
// problem (`application/problem+json` with type, title, status and detail, and `errors` naming the
// fields whose input was wrong). Each path that can refuse is hit here against the production build.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_EMAIL, ADMIN_PASSWORD, startPortal, trpcClient, tokensOf, webSignIn, type Portal } from "./support";

const PASSWORD = "Sloper-Traverse-Heel-58";

type ProblemBody = { type: string; title: string; status: number; detail: string; errors?: unknown[] };

async function expectProblem(response: Response, status: number, detail?: RegExp): Promise<ProblemBody> {
  const text = await response.text();
  expect(response.status, text).toBe(status);
  expect(response.headers.get("content-type")).toBe("application/problem+json; charset=utf-8");
  expect(response.headers.get("cache-control")).toBe("no-store");
  const body = JSON.parse(text) as ProblemBody;
  expect(body).toMatchObject({ type: "about:blank", status });
  expect(typeof body.title).toBe("string");
  expect(body.detail.length).toBeGreaterThan(0);
  if (detail) expect(body.detail).toMatch(detail);
  expect(text).not.toMatch(/\bat .+\.(?:ts|js|mjs):\d+/);
  return body;
}

describe("problem details outside tRPC", () => {
  let portal: Portal;
  let userToken: string;
  let userCookie: string;

  beforeAll(async () => {
    portal = await startPortal();
    const anonymous = trpcClient(portal.url);
    await anonymous.auth.register.mutate({ email: "problems@example.com", username: "problems", password: PASSWORD });
    userToken = tokensOf(
      await anonymous.auth.login.mutate({ email: "problems@example.com", password: PASSWORD }),
    ).access_token;
    userCookie = (await webSignIn(portal.url, "problems@example.com", PASSWORD)).cookie!;
    expect(userCookie).toBeTruthy();
  });
  afterAll(() => portal?.stop());

  it("the gateway's refusal of a malformed target", async () => {
    await expectProblem(await fetch(`${portal.url}/climbs/%zz`), 400, /percent-encoding|malformed|encod/i);
    await expectProblem(await fetch(`${portal.url}/api/users/%00/avatar`), 400, /NUL/);
  });

  it("unknown /api paths, under the REST prefix and outside it", async () => {
    await expectProblem(await fetch(`${portal.url}/api/nothing-here`), 404, /\/api\/nothing-here/);
    await expectProblem(await fetch(`${portal.url}/api/users/me/avatar/extra`), 404);
    await expectProblem(await fetch(`${portal.url}/api/v1/nothing-here`), 404);
    const wrongMethod = await fetch(`${portal.url}/api/v1/auth/me`, { method: "PUT" });
    await expectProblem(wrongMethod, 405);
    expect(wrongMethod.headers.get("allow")).toContain("GET");
  });

  it("REST input errors name their fields", async () => {
    const response = await fetch(`${portal.url}/api/v1/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "ada@example.com", nmae: "typo" }),
    });
    const body = await expectProblem(response, 422);
    expect(body.errors).toEqual(
      expect.arrayContaining([
        { field: "password", message: "Password is required" },
        { field: "nmae", message: "Unknown field" },
      ]),
    );
    await expectProblem(
      await fetch(`${portal.url}/api/v1/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: "{not json",
      }),
      400,
      /JSON/,
    );
  });

  it("the API reference's refusals", async () => {
    const post = await fetch(`${portal.url}/docs`, { method: "POST" });
    await expectProblem(post, 405);
    expect(post.headers.get("allow")).toBe("GET, HEAD");
    await expectProblem(await fetch(`${portal.url}/docs/assets/missing.js`), 404);
  });

  it("the avatar routes, for every credential", async () => {
    await expectProblem(await fetch(`${portal.url}/api/users/nobody/avatar`), 404, /no avatar/);
    const anonymous = await fetch(`${portal.url}/api/users/me/avatar`, { method: "POST", body: new FormData() });
    await expectProblem(anonymous, 401);
    expect(anonymous.headers.get("www-authenticate")).toMatch(/^Bearer/);
    const put = await fetch(`${portal.url}/api/users/someone/avatar`, { method: "PUT" });
    await expectProblem(put, 405);
    expect(put.headers.get("allow")).toBe("GET, HEAD");
    const form = new FormData();
    form.set("file", new Blob([Buffer.from("not an image at all")], { type: "image/png" }), "a.png");
    const credentials: Record<string, string>[] = [{ authorization: `Bearer ${userToken}` }, { cookie: userCookie }];
    for (const headers of credentials) {
      const notImage = await fetch(`${portal.url}/api/users/me/avatar`, { method: "POST", headers, body: form });
      const body = await expectProblem(notImage, 415);
      expect(body.errors).toEqual([expect.objectContaining({ field: "file" })]);
      const plain = await fetch(`${portal.url}/api/users/me/avatar`, {
        method: "POST",
        headers: { ...headers, "content-type": "text/plain" },
        body: "x",
      });
      await expectProblem(plain, 415, /multipart/);
    }
  });

  it("the audit export's refusals", async () => {
    const post = await fetch(`${portal.url}/admin/audit/export?format=csv`, { method: "POST" });
    await expectProblem(post, 405);
    expect(post.headers.get("allow")).toBe("GET");
    await expectProblem(
      await fetch(`${portal.url}/admin/audit/export?format=csv`, { headers: { cookie: userCookie } }),
      403,
    );
    const admin = (await webSignIn(portal.url, ADMIN_EMAIL, ADMIN_PASSWORD)).cookie!;
    const bad = await fetch(`${portal.url}/admin/audit/export?format=xml`, { headers: { cookie: admin } });
    const body = await expectProblem(bad, 422);
    expect(body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: "format" })]));
  });
});
