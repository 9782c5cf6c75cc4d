import { createHash, createSecretKey, randomBytes, timingSafeEqual, type KeyObject } from "node:crypto";
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

let signingKey: { secret: string; key: KeyObject } | undefined;

/** The HMAC key of a secret, made once rather than on every request. */
function keyOf(secret: string): KeyObject {
  if (signingKey?.secret !== secret) signingKey = { secret, key: createSecretKey(Buffer.from(secret, "utf8")) };
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
    .sign(keyOf(secret));
}

/**
 * Verifies an access token: HS256 only (so `alg: none` and every other algorithm fail), our
 * issuer, not expired, and `type: "access"`. Returns null for any invalid token.
 */
export async function verifyAccessToken(token: string, secret: string): Promise<AccessClaims | null> {
  try {
    const { payload } = await jwtVerify(token, keyOf(secret), { algorithms: ["HS256"], issuer: ISSUER });
    if (
      payload.type !== "access" ||
      typeof payload.sub !== "string" ||
      typeof payload.sid !== "string" ||
      typeof payload.sv !== "number" ||
      typeof payload.jti !== "string"
    ) {
      return null;
    }
    return payload as unknown as AccessClaims;
  } catch (error) {
    if (error instanceof errors.JOSEError || error instanceof TypeError) return null;
    throw error;
  }
}
