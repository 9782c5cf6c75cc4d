// Security data in words for people: clients (user agents), ways of signing in and audit actions.
// Browser-safe (no Node imports): the portal's pages, the mails and the API share these phrasings.
import UAParser from "ua-parser-js";

/** The user agent the mastoc command-line client sends: `mastoc-cli/<version> (<platform>; …)`. */
const CLI_AGENT = /^mastoc-cli\/v?(\d+)(?:\.(\d+))?[^\s(]*(?:\s*\(([^;)]+))?/i;
/** Any other program that names itself first (`curl/8.5.0`, `python-requests/2.32`, `node`). */
const PRODUCT = /^([A-Za-z][\w.-]*)(?:\/v?(\d+)(?:\.(\d+))?)?/;

const platformNames: Record<string, string> = {
  linux: "Linux",
  darwin: "macOS",
  win32: "Windows",
  freebsd: "FreeBSD",
  openbsd: "OpenBSD",
};

const osNames: Record<string, string> = { "Mac OS": "macOS", "Chromium OS": "ChromeOS" };
const browserNames: Record<string, string> = { "Mobile Safari": "Safari", "Chrome Headless": "Headless Chrome" };

/**
 * A client as people say it: "Firefox 133 on Windows", "Safari on iPhone", "mastoc CLI 1.4 on
 * Linux", "curl 8.5". An empty or missing user agent is an "Unknown client". Parsed with
 * ua-parser-js 1.x (MIT); the raw string stays available to show on hover or in details.
 */
export function describeClient(userAgent: string | null | undefined): string {
  const agent = (userAgent ?? "").trim();
  if (!agent) return "Unknown client";
  const cli = CLI_AGENT.exec(agent);
  if (cli) {
    const version = cli[1] ? ` ${cli[1]}${cli[2] ? `.${cli[2]}` : ""}` : "";
    const platform = cli[3]?.trim().toLowerCase();
    const on = platform ? (platformNames[platform] ?? cli[3]!.trim()) : null;
    return `mastoc CLI${version}${on ? ` on ${on}` : ""}`;
  }
  const { browser, os, device } = new UAParser(agent).getResult();
  if (browser.name) {
    const name = browserNames[browser.name] ?? browser.name;
    const model = device.model === "iPhone" || device.model === "iPad" ? device.model : null;
    // On an iPhone or iPad the browser's version says little: the device says more.
    const version = !model && browser.major ? ` ${browser.major}` : "";
    const on = model ?? (os.name ? (osNames[os.name] ?? os.name) : null);
    return `${name}${version}${on ? ` on ${on}` : ""}`;
  }
  const product = PRODUCT.exec(agent);
  if (product?.[1] && product[1] !== "Mozilla") {
    return `${product[1]}${product[2] ? ` ${product[2]}${product[3] ? `.${product[3]}` : ""}` : ""}`;
  }
  return "Unknown client";
}

const factorNames: Record<string, string> = {
  totp: "authenticator code",
  recovery: "recovery code",
};

/** How a sign-in was made, in words: "Password", "Password and authenticator code", "Passkey". */
export function describeSignInMethod(method: string | null | undefined): string | null {
  if (!method) return null;
  if (method === "password") return "Password";
  if (method === "passkey") return "Passkey";
  const [first, factor] = method.split("+");
  if (first === "password" && factor) return `Password and ${factorNames[factor] ?? factor.replaceAll("_", " ")}`;
  return method;
}

/** Every audit action, as an administrator reads it in the audit log. */
export const auditActionLabels: Record<string, string> = {
  "admin.bootstrap": "First administrator created",
  "admin.user.activate": "Account reactivated",
  "admin.user.deactivate": "Account deactivated",
  "admin.user.delete": "Account deleted by an administrator",
  "admin.user.reset_2fa": "Two-factor authentication reset",
  "admin.user.role": "Role changed",
  "admin.user.session_revoke": "Session signed out by an administrator",
  "admin.user.unlock": "Account unlocked",
  "admin.user.update": "Account edited by an administrator",
  "admin.user.verify_email": "Email address marked verified",
  "apikey.create": "API key created",
  "apikey.revoke": "API key revoked",
  "oauth.grant": "Signed in to an app with mastoc",
  "oauth.consent.revoke": "Connected app removed",
  "oauth.client.create": "OAuth client registered",
  "oauth.client.update": "OAuth client edited",
  "oauth.client.delete": "OAuth client deleted",
  "oauth.keys.rotate": "OpenID signing key rotated",
  "auth.2fa.disable": "Two-factor authentication turned off",
  "auth.2fa.enable": "Two-factor authentication turned on",
  "auth.2fa.recovery_code_used": "Recovery code used to sign in",
  "auth.2fa.recovery_codes": "New recovery codes generated",
  "auth.2fa.setup": "Two-factor setup started",
  "auth.email.verify": "Email address verified",
  "auth.email_verification.request": "Verification email requested",
  "auth.lockout": "Account locked after failed sign-ins",
  "auth.login.failure": "Failed sign-in (wrong password)",
  "auth.login.locked": "Sign-in refused: account locked",
  "auth.login.success": "Signed in",
  "auth.login.unverified": "Sign-in refused: email not verified",
  "auth.logout": "Signed out",
  "auth.logout_all": "Signed out everywhere",
  "auth.mfa.challenge": "Second factor asked",
  "auth.mfa.failure": "Failed sign-in (wrong second-factor code)",
  "auth.password.change": "Password changed",
  "auth.password_reset.confirm": "Password reset",
  "auth.password_reset.request": "Password reset requested",
  "auth.refresh.reuse_detected": "Session ended: a refresh token was used twice",
  "auth.session.revoke": "Session signed out",
  "climb.create": "Climb added",
  "climb.delete": "Climb deleted",
  "climb.update": "Climb edited",
  "passkey.add": "Passkey added",
  "passkey.delete": "Passkey deleted",
  "passkey.rename": "Passkey renamed",
  "user.avatar.delete": "Avatar removed",
  "user.avatar.update": "Avatar changed",
  "user.delete": "Account deleted by its owner",
  "user.email.change": "Email address changed",
  "user.email.change_request": "Email change requested",
  "user.register": "Account created",
  "user.update": "Profile edited",
};

/** An audit action in words; an action this build does not know reads as its code. */
export function describeAuditAction(action: string): string {
  return auditActionLabels[action] ?? action;
}
