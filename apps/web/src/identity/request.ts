import { createSecretKey, hkdfSync, type KeyObject } from "node:crypto";
import { jwtDecrypt } from "jose";
import type { RequestMeta } from "@mastoc/api";
import { webConfig } from "./env";

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

/** The value of the cookie `name` in a Cookie header, joined from its chunks (`name.0`, `name.1`, …) when NextAuth split it. */
export function cookieValue(header: string, name: string): string | null {
  const chunks: [number, string][] = [];
  for (const { name: key, raw } of cookieParts(header)) {
    const index = key === name ? -1 : key.startsWith(`${name}.`) ? Number(key.slice(name.length + 1)) : NaN;
    if (!Number.isInteger(index)) continue;
    try {
      chunks.push([index, decodeURIComponent(raw)]);
    } catch {
      // A value with malformed percent-encoding is not a session.
    }
  }
  if (chunks.length === 0) return null;
  return chunks
    .sort(([a], [b]) => a - b)
    .map(([, value]) => value)
    .join("");
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

export function requestMeta(source: HeaderSource): RequestMeta {
  return { ip: clientIp(source), userAgent: header(source, "user-agent")?.slice(0, 300) ?? null };
}

let cookieKey: { secret: string; key: KeyObject } | undefined;

/**
 * The key NextAuth (v4) encrypts its session JWT with: HKDF-SHA256 of the secret, info "NextAuth.js
 * Generated Encryption Key", 32 bytes, for `dir` + A256GCM. Derived once, not on every request.
 */
function sessionCookieKey(secret: string): KeyObject {
  if (cookieKey?.secret !== secret) {
    const derived = hkdfSync("sha256", secret, "", "NextAuth.js Generated Encryption Key", 32);
    cookieKey = { secret, key: createSecretKey(Buffer.from(derived)) };
  }
  return cookieKey.key;
}

/** The session claims inside the NextAuth cookie (decrypted, not yet checked against the database). */
export async function webSessionClaims(source: HeaderSource) {
  const cookie = header(source, "cookie");
  if (!cookie) return null;
  const { nextAuthSecret, secureCookies } = webConfig();
  // Only the cookie is read: a NextAuth JWT is never accepted as a bearer token.
  const token = cookieValue(cookie, `${secureCookies ? "__Secure-" : ""}next-auth.session-token`);
  if (!token) return null;
  const claims = await jwtDecrypt(token, sessionCookieKey(nextAuthSecret), {
    clockTolerance: 15,
    keyManagementAlgorithms: ["dir"],
    contentEncryptionAlgorithms: ["A256GCM"],
  })
    .then(({ payload }) => payload)
    .catch(() => null);
  if (!claims || typeof claims.sid !== "string" || typeof claims.sub !== "string" || typeof claims.sv !== "number") {
    return null;
  }
  return { sid: claims.sid, sub: claims.sub, sv: claims.sv };
}
