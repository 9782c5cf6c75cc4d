// NextAuth's session cookie, read with NextAuth's own public `next-auth/jwt`: `getToken` joins a
// cookie NextAuth split in chunks (`name.0`, `name.1`, …) and `decode` decrypts it (the key
// derivation and its parameters stay NextAuth's). One reliance beyond the published types:
// `getToken` is typed for a Next or Node request, and is given only what it reads of one (`cookies`,
// and `headers`, empty here so that no bearer header is ever taken for a session). Checked against
// next-auth 4.24.9 (NEXT_AUTH_CHECKED_VERSION); test/next-auth-session.test.ts fails, naming this
// module, when an upgrade changes it.
import { decodeProtectedHeader } from "jose";
import { decode, getToken, type JWT } from "next-auth/jwt";

export const NEXT_AUTH_CHECKED_VERSION = "4.24.9";

/** The name of NextAuth's session cookie (`__Secure-` prefixed on https, as NextAuth names it). */
export const sessionCookieName = (secure: boolean) => `${secure ? "__Secure-" : ""}next-auth.session-token`;

/**
 * NextAuth's `decode`, for the one kind of token NextAuth makes (`dir` + A256GCM): any other
 * algorithm is refused before decryption, so a forged cookie cannot ask for a costly key derivation.
 */
async function decodeSessionToken({ token, secret }: { token?: string; secret: string | Buffer }) {
  if (!token) return null;
  const { alg, enc } = decodeProtectedHeader(token);
  if (alg !== "dir" || enc !== "A256GCM") return null;
  return decode({ token, secret });
}

/**
 * The claims of the session cookie among `cookies` (name → percent-decoded value), or null when
 * there is none or it does not decrypt with `secret` (or has expired).
 */
export async function sessionTokenClaims(
  cookies: Record<string, string>,
  { secret, secure }: { secret: string; secure: boolean },
): Promise<JWT | null> {
  const request = { cookies, headers: {} } as unknown as Parameters<typeof getToken>[0]["req"];
  return getToken({
    req: request,
    secret,
    cookieName: sessionCookieName(secure),
    secureCookie: secure,
    decode: decodeSessionToken,
  });
}
