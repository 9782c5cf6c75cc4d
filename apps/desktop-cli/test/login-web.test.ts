// `mastoc login --web`: the device flow of the real built binary against the production portal,
// approved by a signed-in user through the provider's device pages; then refresh and logout.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { CookieJar, follow, startPortal, webSignIn, type Portal } from "@mastoc/web/test-support";
import { mastoc, startMastoc } from "./mastoc";

vi.setConfig({ testTimeout: 180_000 });

const PASSWORD = "Sloper-Traverse-Heel-58";
let portal: Portal;
beforeAll(async () => {
  portal = await startPortal({ provider: "sqlite" });
});
afterAll(async () => portal?.stop());

async function approve(cookie: string, userCode: string) {
  const jar = new CookieJar(cookie);
  const xsrfOf = (body: string) => /name="xsrf" value="([^"]+)"/.exec(body)![1]!;
  const input = await follow(`${portal.url}/device?user_code=${userCode}`, jar, "http://never");
  const confirm = await follow(`${portal.url}/oidc/device`, jar, "http://never", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ xsrf: xsrfOf(input.body), user_code: userCode }),
  });
  expect(confirm.body).toContain("mastoc CLI");
  const done = await follow(`${portal.url}/oidc/device`, jar, "http://never", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ xsrf: xsrfOf(confirm.body), user_code: userCode, confirm: "yes" }),
  });
  expect(done.body).toContain("Device connected");
}

describe("mastoc login --web", () => {
  it("prints the code and the address, polls until the user approves, stores the tokens, refreshes and logs out", async () => {
    const name = `web${Date.now().toString(36)}`;
    const email = `${name}@example.com`;
    const registered = await fetch(`${portal.url}/api/v1/auth/register`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email, username: name, password: PASSWORD }),
    });
    expect(registered.status).toBe(201);
    const { cookie } = await webSignIn(portal.url, email, PASSWORD);

    const home = join(mkdtempSync(join(tmpdir(), "mastoc-home-")), "store");
    const login = startMastoc(["login", "--web", "--server", portal.url], { home, env: { MASTOC_NO_BROWSER: "1" } });
    let stderr = "";
    const userCode = await new Promise<string>((found, fail) => {
      login.child.stderr.on("data", (chunk: Buffer) => {
        stderr += chunk.toString();
        const match = /enter the code ([A-Z]{4}-[A-Z]{4})/.exec(stderr);
        if (match) found(match[1]!);
      });
      login.child.on("exit", () => fail(new Error(`mastoc exited: ${stderr}`)));
    });
    expect(stderr).toContain(`open ${portal.url}/oidc/device`);
    await approve(cookie!, userCode);
    const result = await login.done;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`Signed in as ${email} (USER)`);

    const whoami = await mastoc(["whoami", "--json"], { home });
    expect(whoami.code, whoami.stderr).toBe(0);
    expect(JSON.parse(whoami.stdout)).toMatchObject({ email });

    // An access token about to expire is renewed at the provider's token endpoint.
    const file = join(home, "auth.json");
    const store = JSON.parse(readFileSync(file, "utf8")) as {
      servers: Record<string, { expires_at: number; refresh_token: string; via?: string }>;
    };
    const entry = store.servers[portal.url]!;
    expect(entry.via).toBe("oidc");
    const oldRefresh = entry.refresh_token;
    entry.expires_at = Date.now() - 1000;
    writeFileSync(file, JSON.stringify(store));
    const renewed = await mastoc(["whoami", "--json"], { home });
    expect(renewed.code, renewed.stderr).toBe(0);
    const after = JSON.parse(readFileSync(file, "utf8")) as typeof store;
    expect(after.servers[portal.url]!.refresh_token).not.toBe(oldRefresh);

    const logout = await mastoc(["logout"], { home });
    expect(logout.code, logout.stderr).toBe(0);
    const sessions = await fetch(`${portal.url}/api/trpc/auth.sessions`, { headers: { cookie: cookie! } });
    expect(JSON.stringify(await sessions.json())).not.toContain('"oidc"');
    expect((await mastoc(["whoami"], { home })).code).toBe(3);
  });
  it("speaks French when the locale asks for it", async () => {
    const name = `webfr${Date.now().toString(36)}`;
    const email = `${name}@example.com`;
    const registered = await fetch(`${portal.url}/api/v1/auth/register`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email, username: name, password: PASSWORD }),
    });
    expect(registered.status).toBe(201);
    const { cookie } = await webSignIn(portal.url, email, PASSWORD);
    const home = join(mkdtempSync(join(tmpdir(), "mastoc-home-")), "store");
    const login = startMastoc(["login", "--web", "--server", portal.url], {
      home,
      env: { MASTOC_NO_BROWSER: "1", LANG: "fr_FR.UTF-8" },
    });
    let stderr = "";
    const userCode = await new Promise<string>((found, fail) => {
      login.child.stderr.on("data", (chunk: Buffer) => {
        stderr += chunk.toString();
        const match = /saisissez le code ([A-Z]{4}-[A-Z]{4})/.exec(stderr);
        if (match) found(match[1]!);
      });
      login.child.on("exit", () => fail(new Error(`mastoc exited: ${stderr}`)));
    });
    expect(stderr).toContain(`Pour vous connecter, ouvrez ${portal.url}/oidc/device`);
    await approve(cookie!, userCode);
    const result = await login.done;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`Connecté en tant que ${email} (USER)`);
  });
});
