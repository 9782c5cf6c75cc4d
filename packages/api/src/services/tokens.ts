import { createHash, randomBytes, timingSafeEqual, webcrypto } from "node:crypto";
import { errors, jwtVerify, SignJWT } from "jose";
import type { RoleName } from "../permissions";

/**
 * A random opaque token: 32 bytes (256 bits), base64url. It never starts with `-`, so that a token
 * passed on a command line (`mastoc password reset-confirm <token>`) is never taken for an option:
 * a draw that would is drawn again (1 in 64), which keeps every other character uniform.
 */
export function randomToken(prefix = ""): string {
  for (;;) {
    const token = randomBytes(32).toString("base64url");
    if (!token.startsWith("-")) return prefix + token;
  }
}

/** SHA-256 is right for high-entropy random tokens (no salt or slow hash needed); hex-encoded. */
export function sha256(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}

export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export type AccessClaims = {
  sub: string;
  role: RoleName;
  sid: string;
  /** The user's session version when the token was issued. */
  sv: number;
  jti: string;
  type: "access";
};

const ISSUER = "mastoc-accounts";

let signingKey: { secret: string; key: Promise<webcrypto.CryptoKey> } | undefined;

/**
 * The HMAC-SHA-256 key of a secret, imported once rather than on every request. jose signs and
 * verifies through WebCrypto: given the secret's bytes or a KeyObject, it would import a new
 * CryptoKey on every call.
 */
function keyOf(secret: string): Promise<webcrypto.CryptoKey> {
  if (signingKey?.secret !== secret) {
    const bytes = new TextEncoder().encode(secret);
    const key = webcrypto.subtle.importKey("raw", bytes, { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
    signingKey = { secret, key };
  }
  return signingKey.key;
}

export async function signAccessToken(
  claims: Omit<AccessClaims, "jti" | "type">,
  secret: string,
  lifetimeSeconds: number,
): Promise<string> {
  return new SignJWT({ role: claims.role, sid: claims.sid, sv: claims.sv, type: "access" })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(claims.sub)
    .setJti(randomBytes(16).toString("base64url"))
    .setIssuer(ISSUER)
    .setIssuedAt()
    .setExpirationTime(`${lifetimeSeconds}s`)
    .sign(await keyOf(secret));
}

/** How many verified access tokens are remembered (a few hundred bytes each). */
const VERIFIED_CACHE_SIZE = 2048;

/**
 * Access tokens whose signature and claims jose has verified, by their exact text, until they
 * expire. A client presents the same token on every request of its lifetime; verifying it once
 * saves a round trip to the thread pool (WebCrypto) per request. Only a byte-for-byte identical
 * token hits, its expiry is checked again on every hit, and a new secret empties the cache.
 * Revocation is not a property of the token: the session lookup that follows decides it.
 */
const verified = { secret: "", claims: new Map<string, AccessClaims & { exp: number }>() };

function remember(token: string, secret: string, claims: AccessClaims & { exp: number }) {
  if (verified.secret !== secret) {
    verified.secret = secret;
    verified.claims.clear();
  }
  if (verified.claims.size >= VERIFIED_CACHE_SIZE) {
    // The oldest first: Map keeps insertion order.
    verified.claims.delete(verified.claims.keys().next().value!);
  }
  verified.claims.set(token, claims);
}

/**
 * Verifies an access token: HS256 only (so `alg: none` and every other algorithm fail), our
 * issuer, not expired, and `type: "access"`. Returns null for any invalid token.
 */
export async function verifyAccessToken(token: string, secret: string): Promise<AccessClaims | null> {
  if (verified.secret === secret) {
    const known = verified.claims.get(token);
    if (known) {
      if (known.exp > Date.now() / 1000) return known;
      verified.claims.delete(token);
      return null;
    }
  }
  try {
    const { payload } = await jwtVerify(token, await keyOf(secret), { algorithms: ["HS256"], issuer: ISSUER });
    if (
      payload.type !== "access" ||
      typeof payload.sub !== "string" ||
      typeof payload.sid !== "string" ||
      typeof payload.sv !== "number" ||
      typeof payload.jti !== "string" ||
      typeof payload.exp !== "number"
    ) {
      return null;
    }
    const claims = Object.freeze(payload) as unknown as AccessClaims & { exp: number };
    remember(token, secret, claims);
    return claims;
  } catch (error) {
    if (error instanceof errors.JOSEError || error instanceof TypeError) return null;
    throw error;
  }
}
