// What the portal's HTTP server does to every request before any handler sees it: the client
// address rebuilt from what can be trusted, requests no handler could parse refused with a clear
// 400, cookies that would break NextAuth dropped, HSTS on https; and the pages' policy with a
// fresh script nonce per response.
import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { requestLocale, said, sendProblem, type Text } from "@mastoc/api";
import { cookieParts } from "../identity/request";

/** X-Forwarded-For as the app reads it: the client address first, rebuilt from what we can trust. */
export function forwardedFor(header: string | string[] | undefined, peer: string | undefined, trustedHops: number) {
  const chain = (Array.isArray(header) ? header.join(",") : (header ?? ""))
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean);
  return [...(trustedHops > 0 ? chain.slice(-trustedHops) : []), peer ?? "unknown"].join(", ");
}

/** Why a request target cannot be routed (malformed percent-encoding, NUL), or null. */
export function malformedTarget(url: string | undefined): Text | null {
  const path = (url ?? "/").split("?")[0]!;
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return said("http.malformedPercent");
  }
  if (decoded.includes("\0")) return said("http.nulInPath");
  return null;
}

const CALLBACK_COOKIE = /^(?:__Secure-)?next-auth\.callback-url$/;

/**
 * The Cookie header without values NextAuth would refuse as a server misconfiguration (a
 * callback URL that is not an http(s) URL of this site): anyone able to plant a cookie could
 * otherwise break sign-in for that browser.
 */
export function sanitizeCookies(header: string, origin: string): string {
  return cookieParts(header)
    .filter(({ name, raw }) => {
      if (!CALLBACK_COOKIE.test(name)) return true;
      try {
        const url = new URL(decodeURIComponent(raw), origin);
        return url.origin === origin && (url.protocol === "http:" || url.protocol === "https:");
      } catch {
        return false;
      }
    })
    .map(({ part }) => part)
    .join("; ");
}

/** The portal's Content-Security-Policy: scripts only from this origin or carrying this response's nonce. */
export function contentSecurityPolicy(nonce: string, dev: boolean): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self'${dev ? " ws:" : ""}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** Sent with every response, API and pages alike. */
const SECURITY_HEADERS = [
  ["referrer-policy", "strict-origin-when-cross-origin"],
  ["x-content-type-options", "nosniff"],
  ["x-frame-options", "DENY"],
  ["permissions-policy", "camera=(), microphone=(), geolocation=()"],
] as const;

/** `appOrigin`: the origin of APP_URL, worked out once at start rather than per request. */
export type GuardOptions = { appOrigin: string; trustedHops: number };

/**
 * Prepares a request for the handlers, or answers it when it cannot be handled. Returns true when
 * the request was answered here.
 */
export function guardRequest(
  request: IncomingMessage,
  response: ServerResponse,
  { appOrigin, trustedHops }: GuardOptions,
): boolean {
  request.headers["x-forwarded-for"] = forwardedFor(
    request.headers["x-forwarded-for"],
    request.socket.remoteAddress,
    trustedHops,
  );
  delete request.headers["x-real-ip"];

  for (const [name, value] of SECURITY_HEADERS) response.setHeader(name, value);
  if (appOrigin.startsWith("https://")) {
    response.setHeader("strict-transport-security", "max-age=63072000; includeSubDomains");
  }
  const problem = malformedTarget(request.url);
  if (problem) {
    sendProblem(response, { status: 400, detail: problem }, requestLocale(request));
    return true;
  }
  if (request.headers.cookie) request.headers.cookie = sanitizeCookies(request.headers.cookie, appOrigin);
  return false;
}

/**
 * Pages get a Content-Security-Policy with a fresh script nonce: Next reads the nonce from the
 * request's policy and puts it on the scripts it renders.
 */
export function applyContentSecurityPolicy(request: IncomingMessage, response: ServerResponse, dev: boolean) {
  const policy = contentSecurityPolicy(randomBytes(16).toString("base64"), dev);
  request.headers["content-security-policy"] = policy;
  response.setHeader("content-security-policy", policy);
}
