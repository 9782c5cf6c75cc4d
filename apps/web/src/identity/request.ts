import type { RequestMeta, RequestTrace } from "@mastoc/api";
import { traceOf } from "../ops/request-trace";
import { webConfig } from "./env";
import { sessionCookieName, sessionTokenClaims } from "./vendor/next-auth-session";

type HeaderSource = Headers | Record<string, string | string[] | undefined>;

/** The cookies of a Cookie header as name and raw (still percent-encoded) value, in order. */
export function cookieParts(header: string): { name: string; raw: string; part: string }[] {
  return header
    .split(";")
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const separator = part.indexOf("=");
      return separator === -1
        ? { name: part, raw: "", part }
        : { name: part.slice(0, separator).trim(), raw: part.slice(separator + 1).trim(), part };
    });
}

/**
 * The cookies of a Cookie header whose name starts with `name` (a NextAuth cookie and its chunks
 * `name.0`, `name.1`, …), percent-decoded; the first of duplicate names wins.
 */
function cookiesNamed(header: string, name: string): Record<string, string> {
  const cookies = Object.create(null) as Record<string, string>;
  for (const { name: key, raw } of cookieParts(header)) {
    if (!key.startsWith(name) || Object.hasOwn(cookies, key)) continue;
    try {
      cookies[key] = decodeURIComponent(raw);
    } catch {
      // A value with malformed percent-encoding is not a session.
    }
  }
  return cookies;
}

/** One request header, from a fetch `Headers` or Node's header object. */
export function header(source: HeaderSource, name: string): string | null {
  if (source instanceof Headers) return source.get(name);
  const value = source[name];
  return Array.isArray(value) ? (value[0] ?? null) : (value ?? null);
}

/**
 * The client address: the first X-Forwarded-For entry, which the request guard rebuilds from the socket
 * address (and the entries of trusted proxies, TRUST_PROXY_HOPS), so a client cannot choose it.
 */
export function clientIp(source: HeaderSource): string | null {
  return header(source, "x-forwarded-for")?.split(",")[0]?.trim() || null;
}

/** The client's address and user agent; `trace` lets the request log learn who the caller is. */
export function requestMeta(source: HeaderSource): RequestMeta & { trace?: RequestTrace } {
  const meta = { ip: clientIp(source), userAgent: header(source, "user-agent")?.slice(0, 300) ?? null };
  const trace = source instanceof Headers ? undefined : traceOf(source);
  return trace ? { ...meta, trace } : meta;
}

/**
 * The session claims inside the NextAuth cookie (decrypted by NextAuth's own code, not yet checked
 * against the database). Only the cookie is read: a NextAuth JWT is never accepted as a bearer token.
 */
export async function webSessionClaims(source: HeaderSource) {
  const cookie = header(source, "cookie");
  if (!cookie) return null;
  const { nextAuthSecret, secureCookies } = webConfig();
  const cookies = cookiesNamed(cookie, sessionCookieName(secureCookies));
  if (Object.keys(cookies).length === 0) return null;
  const claims = await sessionTokenClaims(cookies, { secret: nextAuthSecret, secure: secureCookies });
  if (!claims || typeof claims.sid !== "string" || typeof claims.sub !== "string" || typeof claims.sv !== "number") {
    return null;
  }
  return { sid: claims.sid, sub: claims.sub, sv: claims.sv };
}
