// The OpenID provider's signing keys: ES256 key pairs, generated on the first start and kept in the
// database (private parts encrypted with AES-256-GCM under a key derived from OIDC_KEY_SECRET), so
// every instance signs and publishes the same ones. Rotation adds a key that signs from then on and
// keeps the previous ones published until what they signed has expired.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { exportJWK, generateKeyPair, type JWK } from "jose";
import type { Db } from "@mastoc/db";
import type { Config } from "../config";

/** How long a key still verifies after a newer one replaced it: longer than any ID token lives. */
export const KEY_RETIREMENT_SECONDS = 2 * 3600;
export const SIGNING_ALG = "ES256";

function encryptionKey(config: Config): Buffer {
  return Buffer.from(hkdfSync("sha256", config.OIDC_KEY_SECRET, "mastoc", "oidc-signing-keys", 32));
}

function seal(config: Config, kid: string, jwk: JWK): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", encryptionKey(config), iv);
  cipher.setAAD(Buffer.from(kid));
  const body = Buffer.concat([cipher.update(JSON.stringify(jwk), "utf8"), cipher.final()]);
  return [iv, cipher.getAuthTag(), body].map((part) => part.toString("base64url")).join(".");
}

function open(config: Config, kid: string, sealed: string): JWK | null {
  try {
    const [iv, tag, body] = sealed.split(".").map((part) => Buffer.from(part, "base64url"));
    const decipher = createDecipheriv("aes-256-gcm", encryptionKey(config), iv!);
    decipher.setAAD(Buffer.from(kid));
    decipher.setAuthTag(tag!);
    return JSON.parse(Buffer.concat([decipher.update(body!), decipher.final()]).toString("utf8")) as JWK;
  } catch {
    return null;
  }
}

async function newKey(db: Db, config: Config): Promise<string> {
  const { privateKey } = await generateKeyPair(SIGNING_ALG, { extractable: true });
  const jwk = await exportJWK(privateKey);
  const kid = randomBytes(12).toString("base64url");
  await db.oidcKey.create({ data: { kid, jwk: seal(config, kid, { ...jwk, kid, alg: SIGNING_ALG, use: "sig" }) } });
  return kid;
}

/**
 * The private JWKs to publish and sign with, newest first (the first signs). Keys that cannot be
 * decrypted (another OIDC_KEY_SECRET) are skipped; with none left, a new key is made.
 */
export async function signingKeys(db: Db, config: Config, now = new Date()): Promise<JWK[]> {
  const read = async () => {
    const rows = await db.oidcKey.findMany({
      where: { OR: [{ retireAt: null }, { retireAt: { gt: now } }] },
      orderBy: { createdAt: "desc" },
      select: { kid: true, jwk: true },
    });
    return rows.map((row) => open(config, row.kid, row.jwk)).filter((jwk): jwk is JWK => jwk !== null);
  };
  let keys = await read();
  if (keys.length === 0) {
    await newKey(db, config);
    keys = await read();
  }
  return keys;
}

/** A fingerprint of the published key set, to notice a rotation made by another process. */
export async function keySetVersion(db: Db, now = new Date()): Promise<string> {
  const rows = await db.oidcKey.findMany({
    where: { OR: [{ retireAt: null }, { retireAt: { gt: now } }] },
    orderBy: { createdAt: "desc" },
    select: { kid: true },
  });
  return rows.map((row) => row.kid).join(",");
}

/**
 * Adds a key that signs from now on; the keys it replaces stay published for
 * KEY_RETIREMENT_SECONDS, then are deleted. Returns the new key id and the retired ones.
 */
export async function rotateSigningKeys(db: Db, config: Config): Promise<{ kid: string; retiring: string[] }> {
  const now = new Date();
  await db.oidcKey.deleteMany({ where: { retireAt: { lte: now } } });
  const current = await db.oidcKey.findMany({ where: { retireAt: null }, select: { kid: true } });
  await db.oidcKey.updateMany({
    where: { retireAt: null },
    data: { retireAt: new Date(now.getTime() + KEY_RETIREMENT_SECONDS * 1000) },
  });
  const kid = await newKey(db, config);
  return { kid, retiring: current.map((row) => row.kid) };
}

/** Keys for the provider's cookies, derived from the same secret (the provider signs its cookies with them). */
export function cookieKeys(config: Config): string[] {
  return [Buffer.from(hkdfSync("sha256", config.OIDC_KEY_SECRET, "mastoc", "oidc-cookies", 32)).toString("base64url")];
}
