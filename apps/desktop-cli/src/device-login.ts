// `mastoc login --web`: the OAuth 2.0 device authorization grant (RFC 8628) against the server's
// OpenID provider, as the first-party public client `mastoc-cli`. The user approves in a browser
// where they are signed in (password, two-factor, passkey: whatever the portal asks); the CLI polls
// at the server's interval, slower after `slow_down`, and stores the tokens like a password login.
import { spawn } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";
import { CliError, EXIT } from "./errors";
import { t } from "./i18n";
import { USER_AGENT } from "./version";

export const CLI_CLIENT_ID = "mastoc-cli";
const SCOPE = ["openid", "profile", "email", "offline_access"].join(" ");

export type OidcTokens = { access_token: string; refresh_token: string; expires_in: number };

type DeviceAuthorization = {
  device_code: string;
  user_code: string;
  verification_uri: string;
  verification_uri_complete?: string;
  expires_in: number;
  interval?: number;
};

type OAuthError = { error?: string; error_description?: string };

async function form(
  url: string,
  fields: Record<string, string>,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "user-agent": USER_AGENT,
      accept: "application/json",
    },
    body: new URLSearchParams(fields),
  });
  let body: Record<string, unknown> = {};
  try {
    body = (await response.json()) as Record<string, unknown>;
  } catch {
    throw new CliError(t("device.notMastoc", { url, status: response.status }), EXIT.error);
  }
  return { status: response.status, body };
}

function describe(error: OAuthError): string {
  return error.error_description ? `${error.error}: ${error.error_description}` : String(error.error);
}

/** Opens `url` in the user's browser when there is one (a desktop session); says nothing otherwise. */
function openBrowser(url: string): boolean {
  if (process.env.MASTOC_NO_BROWSER || !process.stdout.isTTY) return false;
  const hasDisplay = process.platform !== "linux" || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
  if (!hasDisplay) return false;
  const command = process.platform === "darwin" ? "open" : process.platform === "win32" ? "explorer" : "xdg-open";
  try {
    const child = spawn(command, [url], { stdio: "ignore", detached: true });
    child.on("error", () => undefined);
    child.unref();
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs the device flow on `server` and returns its tokens. `show` prints the code and where to
 * enter it (to stderr, so `--json` output stays clean).
 */
export async function deviceLogin(server: string, show: (text: string) => void): Promise<OidcTokens> {
  const start = await form(`${server}/oidc/device/auth`, { client_id: CLI_CLIENT_ID, scope: SCOPE });
  if (start.status !== 200) throw new CliError(t("device.refused", { reason: describe(start.body) }), EXIT.error);
  const device = start.body as unknown as DeviceAuthorization;
  const complete = device.verification_uri_complete ?? device.verification_uri;
  show(`${t("device.enterCode", { url: device.verification_uri, code: device.user_code })}\n`);
  if (openBrowser(complete)) show(`${t("device.opened", { url: complete })}\n`);

  let interval = Math.max(1, device.interval ?? 5);
  const deadline = Date.now() + device.expires_in * 1000;
  while (Date.now() < deadline) {
    await sleep(interval * 1000);
    const answer = await form(`${server}/oidc/token`, {
      grant_type: "urn:ietf:params:oauth:grant-type:device_code",
      device_code: device.device_code,
      client_id: CLI_CLIENT_ID,
    });
    if (answer.status === 200) return answer.body as unknown as OidcTokens;
    const error = answer.body as OAuthError;
    if (error.error === "authorization_pending") continue;
    if (error.error === "slow_down") {
      interval += 5;
      continue;
    }
    if (error.error === "access_denied") throw new CliError(t("device.cancelled"), EXIT.unauthenticated);
    if (error.error === "expired_token") break;
    throw new CliError(t("device.failed", { reason: describe(error) }), EXIT.error);
  }
  throw new CliError(t("device.expired"), EXIT.unauthenticated);
}

/** Renews OIDC tokens with the refresh token (rotated by the server); null when it is refused. */
export async function refreshOidc(server: string, refreshToken: string): Promise<OidcTokens | null> {
  const answer = await form(`${server}/oidc/token`, {
    grant_type: "refresh_token",
    refresh_token: refreshToken,
    client_id: CLI_CLIENT_ID,
  });
  if (answer.status === 200) return answer.body as unknown as OidcTokens;
  if (answer.status === 400 || answer.status === 401) return null;
  throw new CliError(t("device.renewFailed", { status: answer.status }), EXIT.error);
}

/** Revokes an OIDC refresh token (which ends the grant's session on the server); RFC 7009 answers 200 without a body. */
export async function revokeOidc(server: string, refreshToken: string): Promise<void> {
  const response = await fetch(`${server}/oidc/token/revocation`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", "user-agent": USER_AGENT },
    body: new URLSearchParams({ token: refreshToken, token_type_hint: "refresh_token", client_id: CLI_CLIENT_ID }),
  });
  await response.body?.cancel();
  if (!response.ok) throw new CliError(t("device.endFailed", { status: response.status }), EXIT.error);
}
