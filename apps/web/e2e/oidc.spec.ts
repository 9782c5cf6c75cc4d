import { spawn } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { resolve } from "node:path";
import type { Page } from "@playwright/test";
import * as oidc from "openid-client";
import { enableTwoFactor, tokensOf, totp, trpcClient } from "../test/support/clients";
import { ADMIN_EMAIL, ADMIN_PASSWORD, type Portal } from "../test/support/portal";
import { expect, localhostTest } from "./fixtures";
import {
  addVirtualAuthenticator,
  createAccount,
  expectAccessible,
  PASSWORD,
  screenshot,
  signInThroughForm,
} from "./helpers";

const test = localhostTest;

/** Registered without a port: a native client's loopback redirect matches on any port (RFC 8252). */
const REGISTERED_REDIRECT = "http://127.0.0.1/callback";

async function thirdPartyClient(portal: Portal) {
  const admin = tokensOf(
    await trpcClient(portal.url).auth.login.mutate({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }),
  );
  const client = await trpcClient(portal.url, { token: admin.access_token }).oauth.createClient.mutate({
    name: "Crag Planner",
    redirect_uris: [REGISTERED_REDIRECT],
    type: "public",
  });
  return oidc.discovery(new URL(`${portal.publicUrl}/oidc`), client.client_id, undefined, oidc.None(), {
    execute: [oidc.allowInsecureRequests],
  });
}

/** Starts code + PKCE in the page; `finish` waits for the page to land on the client's redirect and exchanges the code. */
async function startCodeFlow(page: Page, config: oidc.Configuration, extra: Record<string, string> = {}) {
  // The client's loopback listener, as a desktop app (or the README's Python example) runs it.
  let callback: string | null = null;
  const listener = createServer((request, response) => {
    if (request.url?.startsWith("/callback?")) {
      callback = `http://127.0.0.1:${(listener.address() as AddressInfo).port}${request.url}`;
    }
    response.end("signed in");
  });
  await new Promise<void>((listening) => listener.listen(0, "127.0.0.1", listening));
  const redirect = `http://127.0.0.1:${(listener.address() as AddressInfo).port}/callback`;
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirect,
    scope: "openid profile email",
    state,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
    ...extra,
  });
  await page.goto(url.href);
  return async () => {
    // The browser has landed on the client's page (not only sent the request), so the next
    // navigation of this page cannot be interrupted by the redirect still committing.
    await page.waitForURL((at) => at.href.startsWith(`${redirect}?`));
    await expect.poll(() => callback).not.toBeNull();
    listener.close();
    return oidc.authorizationCodeGrant(config, new URL(callback!), {
      pkceCodeVerifier: verifier,
      expectedState: state,
    });
  };
}

async function allowOnConsentPage(page: Page, email: string) {
  await expect(page).toHaveURL(/\/oauth\/consent\?uid=/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Allow access");
  await expect(page.getByText("Crag Planner asks to use your mastoc account")).toBeVisible();
  await expect(page.getByRole("list", { name: "What the app asks for" })).toContainText("See your email address");
  await expect(page.getByText(`You are signed in as ${email}.`)).toBeVisible();
  await expectAccessible(page);
  await page.getByRole("button", { name: "Allow" }).click();
}

test("a client signs in an account with two-factor authentication, then the user removes it from Connected apps", async ({
  page,
  localhostPortal,
}, testInfo) => {
  test.setTimeout(120_000);
  const config = await thirdPartyClient(localhostPortal);
  const account = await createAccount(localhostPortal.url);
  const { secret } = await enableTwoFactor(localhostPortal.url, account.email, PASSWORD);

  const finish = await startCodeFlow(page, config);
  await expect(page).toHaveURL(/\/login\?next=%2Foidc%2Finteraction%2F/);
  await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.getByLabel("Authentication code").fill(await totp(secret, 1));
  await page.getByRole("button", { name: "Verify" }).click();
  await allowOnConsentPage(page, account.email);
  await screenshot(page, testInfo, "oidc-after-consent");
  const tokens = await finish();
  expect(tokens.claims()!.sub).toBe(account.id);

  // Already signed in to the portal and consented: the next sign-in asks nothing.
  const again = await startCodeFlow(page, config);
  await again();

  await page.goto("/profile/connected-apps");
  const table = page.getByRole("table", { name: "Apps connected to your account" });
  await expect(table).toContainText("Crag Planner");
  await expectAccessible(page);
  await screenshot(page, testInfo, "oidc-connected-apps");
  await page.getByRole("button", { name: "Revoke Crag Planner" }).click();
  await expect(page.getByRole("status")).toHaveText("Crag Planner was disconnected.");
  expect((await oidc.tokenIntrospection(config, tokens.access_token)).active).toBe(false);
});

test("a client asking for a fresh sign-in (prompt=login) gets one, though the user is signed in to the portal", async ({
  page,
  localhostPortal,
}, testInfo) => {
  const config = await thirdPartyClient(localhostPortal);
  const account = await createAccount(localhostPortal.url);
  await signInThroughForm(page, account.email, PASSWORD);

  const first = await startCodeFlow(page, config);
  await allowOnConsentPage(page, account.email);
  await first();

  // Signed in and consented, yet the client wants the user to prove it is them now.
  const fresh = await startCodeFlow(page, config, { prompt: "login" });
  await expect(page).toHaveURL(/\/login\?reauth=1&next=%2Foidc%2Finteraction%2F/);
  await expect(page.getByRole("status")).toHaveText(
    "The app you are signing in to asks you to confirm it is you: sign in again.",
  );
  await expectAccessible(page);
  await screenshot(page, testInfo, "oidc-sign-in-again");
  const before = Math.floor(Date.now() / 1000);
  // The account signed in is filled in; another may be typed instead.
  await expect(page.getByRole("textbox", { name: "Email or username" })).toHaveValue(account.email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  const tokens = await fresh();
  const claims = tokens.claims()!;
  expect(claims.sub).toBe(account.id);
  expect(claims.auth_time).toBeGreaterThanOrEqual(before);
});

test("the README's Python client (examples/oidc_client.py) signs a user in with code + PKCE on a loopback redirect", async ({
  page,
  localhostPortal,
}) => {
  test.setTimeout(120_000);
  const config = await thirdPartyClient(localhostPortal);
  const account = await createAccount(localhostPortal.url);
  const script = resolve(import.meta.dirname, "..", "..", "..", "examples", "oidc_client.py");
  const python = spawn(
    "python3",
    ["-u", script, "--issuer", `${localhostPortal.publicUrl}/oidc`, "--client-id", config.clientMetadata().client_id],
    // BROWSER=true: Python's webbrowser runs `true <url>`; this test is the browser.
    { env: { ...process.env, BROWSER: "true" }, stdio: ["ignore", "pipe", "pipe"] },
  );
  let stdout = "";
  let stderr = "";
  python.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  python.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((done) => python.on("close", done));
  try {
    await expect.poll(() => /^Opening (\S+)$/m.exec(stdout)?.[1], { timeout: 30_000 }).toBeDefined();
    await page.goto(/^Opening (\S+)$/m.exec(stdout)![1]!);
    await page.getByLabel("Email").fill(account.email);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await allowOnConsentPage(page, account.email);
    await expect(page.locator("body")).toHaveText("Signed in: you can close this tab.");
    expect(await exited, stderr).toBe(0);
    const claims = JSON.parse(stdout.slice(stdout.indexOf("{"))) as Record<string, unknown>;
    expect(claims).toMatchObject({ sub: account.id, email: account.email, email_verified: expect.any(Boolean) });
  } finally {
    python.kill();
  }
});

test("a client signs in with a passkey, and the device flow is approved in the browser while the client polls", async ({
  page,
  localhostPortal,
}, testInfo) => {
  test.setTimeout(120_000);
  await addVirtualAuthenticator(page);
  const account = await createAccount(localhostPortal.url);
  await signInThroughForm(page, account.email, PASSWORD);
  await page.goto("/profile/security");
  const section = page.getByRole("region", { name: "Passkeys", exact: true });
  await section.getByLabel("Name").fill("Laptop");
  await section.getByRole("button", { name: "Add a passkey" }).click();
  await expect(section.getByRole("status")).toHaveText("Passkey “Laptop” added.");
  await page.context().clearCookies();

  const config = await thirdPartyClient(localhostPortal);
  const finish = await startCodeFlow(page, config);
  await expect(page).toHaveURL(/\/login/);
  await page.getByRole("button", { name: "Sign in with a passkey" }).click();
  await allowOnConsentPage(page, account.email);
  expect((await finish()).claims()!.sub).toBe(account.id);

  // The device flow: the CLI's client polls while the user confirms the code in the browser.
  const cli = await oidc.discovery(new URL(`${localhostPortal.publicUrl}/oidc`), "mastoc-cli", undefined, oidc.None(), {
    execute: [oidc.allowInsecureRequests],
  });
  const device = await oidc.initiateDeviceAuthorization(cli, { scope: "openid profile offline_access" });
  const polling = oidc.pollDeviceAuthorizationGrant(cli, device);
  await page.goto("/device");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Connect a device");
  await expectAccessible(page);
  await page.getByRole("textbox", { name: "Code" }).fill("BBBB-BBBB");
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByRole("alert")).toHaveText(/That code is wrong or has expired/);
  await page.getByRole("textbox", { name: "Code" }).fill(device.user_code);
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Confirm the device");
  await expect(page.getByTestId("user-code")).toHaveText(device.user_code);
  await expect(page.getByText(`mastoc CLI asks to sign in to mastoc as ${account.email}.`)).toBeVisible();
  await expectAccessible(page);
  await screenshot(page, testInfo, "oidc-device-confirm");
  await page.getByRole("button", { name: "Allow" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Device connected");
  const tokens = await polling;
  expect(tokens.claims()!.sub).toBe(account.id);
  expect(tokens.refresh_token).toBeTruthy();
});
