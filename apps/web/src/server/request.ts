import { RequestCookies } from "next/dist/compiled/@edge-runtime/cookies";
import { getToken } from "next-auth/jwt";
import type { RequestMeta } from "@mastoc/api";
import { webConfig } from "./env";

type HeaderSource = Headers | Record<string, string | string[] | undefined>;

function header(source: HeaderSource, name: string): string | null {
  if (source instanceof Headers) return source.get(name);
  const value = source[name];
  return Array.isArray(value) ? (value[0] ?? null) : (value ?? null);
}

/**
 * The client address: the first X-Forwarded-For entry, which server.mjs rebuilds from the socket
 * address (and the entries of trusted proxies, TRUST_PROXY_HOPS), so a client cannot choose it.
 */
export function clientIp(source: HeaderSource): string | null {
  return header(source, "x-forwarded-for")?.split(",")[0]?.trim() || null;
}

export function requestMeta(source: HeaderSource): RequestMeta {
  return { ip: clientIp(source), userAgent: header(source, "user-agent")?.slice(0, 300) ?? null };
}

/** The session claims inside the NextAuth cookie (decrypted, not yet checked against the database). */
export async function webSessionClaims(source: HeaderSource) {
  const cookie = header(source, "cookie");
  if (!cookie) return null;
  const { nextAuthSecret, secureCookies } = webConfig();
  const token = await getToken({
    // Only the cookies: getToken would otherwise also accept a NextAuth JWT as a bearer token.
    req: { cookies: new RequestCookies(new Headers({ cookie })), headers: {} } as unknown as Parameters<
      typeof getToken
    >[0]["req"],
    secret: nextAuthSecret,
    secureCookie: secureCookies,
  });
  if (!token || typeof token.sid !== "string" || typeof token.sub !== "string" || typeof token.sv !== "number") {
    return null;
  }
  return { sid: token.sid, sub: token.sub, sv: token.sv };
}
