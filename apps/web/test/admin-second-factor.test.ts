// REQUIRE_ADMIN_2FA over HTTP, against the production build: an administrator without a second
// factor keeps what every account may do, is refused the administrator's powers (tRPC and REST,
// 403 saying why) and sent from the administration pages to Settings → Security; once they have
// a second factor, everything opens. Without the setting nothing is refused.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  enableTwoFactor,
  startPortal,
  tokensOf,
  trpcClient,
  webSignIn,
  type Portal,
} from "./support";

const REFUSAL = /requires administrators to use two-factor authentication or a passkey/;

async function signIn(portal: Portal) {
  return tokensOf(await trpcClient(portal.url).auth.login.mutate({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }))
    .access_token;
}

const rest = (portal: Portal, path: string, token: string) =>
  fetch(`${portal.url}/api/v1${path}`, { headers: { authorization: `Bearer ${token}` } });

describe("REQUIRE_ADMIN_2FA=true", () => {
  let portal: Portal;
  beforeAll(async () => {
    portal = await startPortal({ env: { REQUIRE_ADMIN_2FA: "true" } });
  });
  afterAll(async () => {
    await portal?.stop();
  });

  it("refuses an administrator's powers until they have a second factor, and sends the pages to set one up", async () => {
    const token = await signIn(portal);
    const web = await webSignIn(portal.url, ADMIN_EMAIL, ADMIN_PASSWORD);
    expect(web.error).toBeNull();

    // What every account may do stays open.
    expect((await rest(portal, "/auth/me", token)).status).toBe(200);
    expect((await rest(portal, "/climbs", token)).status).toBe(200);
    // The administrator's powers: 403, saying why, over REST and tRPC.
    const users = await rest(portal, "/admin/users", token);
    expect(users.status).toBe(403);
    expect(users.headers.get("content-type")).toContain("application/problem+json");
    expect(((await users.json()) as { detail: string }).detail).toMatch(REFUSAL);
    const stats = await fetch(`${portal.url}/api/trpc/admin.stats`, { headers: { authorization: `Bearer ${token}` } });
    expect(stats.status).toBe(403);
    expect(JSON.stringify(await stats.json())).toMatch(REFUSAL);
    // The administration pages send the browser to Settings → Security, which says why.
    for (const path of ["/admin", "/admin/users", "/admin/audit"]) {
      const page = await fetch(`${portal.url}${path}`, { headers: { cookie: web.cookie! }, redirect: "manual" });
      expect(page.status, path).toBeGreaterThanOrEqual(300);
      expect(page.status, path).toBeLessThan(400);
      expect(page.headers.get("location"), path).toContain("/profile/security?reason=admin-second-factor");
    }
    const security = await fetch(`${portal.url}/profile/security?reason=admin-second-factor`, {
      headers: { cookie: web.cookie! },
    });
    expect(security.status).toBe(200);
    expect(await security.text()).toContain("This server requires administrators to use two-factor authentication");

    // With a second factor, everything opens: API at once, and the pages for the same browser session.
    const { token: secured } = await enableTwoFactor(portal.url, ADMIN_EMAIL, ADMIN_PASSWORD);
    expect((await rest(portal, "/admin/users", secured)).status).toBe(200);
    const dashboard = await fetch(`${portal.url}/admin`, { headers: { cookie: web.cookie! }, redirect: "manual" });
    expect(dashboard.status).toBe(200);
  });
});

describe("without REQUIRE_ADMIN_2FA", () => {
  let portal: Portal;
  beforeAll(async () => {
    portal = await startPortal();
  });
  afterAll(async () => {
    await portal?.stop();
  });

  it("lets an administrator without a second factor use every power; the pages only show a banner", async () => {
    const token = await signIn(portal);
    expect((await rest(portal, "/admin/users", token)).status).toBe(200);
    const web = await webSignIn(portal.url, ADMIN_EMAIL, ADMIN_PASSWORD);
    const dashboard = await fetch(`${portal.url}/admin`, { headers: { cookie: web.cookie! }, redirect: "manual" });
    expect(dashboard.status).toBe(200);
    expect(await dashboard.text()).toContain("Protect your administrator account.");
  });
});
