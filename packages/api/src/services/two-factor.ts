// Two-factor authentication: TOTP (RFC 6238: SHA-1, 6 digits, 30 s steps, one step of drift
// either way) with single-use recovery codes, and the sign-in challenge that asks for a code.
//
// Nothing readable from a database dump alone: the TOTP secret is encrypted (AES-256-GCM, bound
// to its user), recovery codes and challenge tokens are stored as keyed or plain hashes. Every
// single-use rule (a TOTP step, a recovery code, a challenge) is decided by one conditional
// UPDATE, so two concurrent requests can never both use the same code.
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, randomInt } from "node:crypto";
import type { Db } from "@mastoc/db";
import { generateSecret, generateURI, verify } from "otplib";
import QRCode from "qrcode";
import type { Config } from "../config";
import { apiError, fieldError, said } from "../errors";
import { withinFailureBudget } from "./rate-limit";
import { LOGIN_FAILURE_WINDOW_SECONDS } from "./credentials";
import { composeMail, sendMailInBackground, type Recipient } from "./mail";
import { randomToken, sha256 } from "./tokens";

export const TOTP_ISSUER = "mastoc";
export const RECOVERY_CODE_COUNT = 10;
/** How long the second step of a sign-in may take, and how many wrong codes void it. */
export const MFA_CHALLENGE_SECONDS = 5 * 60;
export const MFA_CHALLENGE_MAX_FAILURES = 5;
/** What the web's password step answers when a code is needed (the form then asks for it). */
export const MFA_REQUIRED = "MFA_REQUIRED";
/** The generic answer to a wrong or expired second step: it tells nothing more. */
export const INVALID_MFA = said("auth.invalidMfa")("en");

const ENCRYPTED_PREFIX = "v1.";

let derived: { key: string; encryption: Buffer; hashing: Buffer } | undefined;

function keysOf(config: Config) {
  if (derived?.key !== config.TWO_FACTOR_KEY) {
    const key = config.TWO_FACTOR_KEY;
    derived = {
      key,
      encryption: Buffer.from(hkdfSync("sha256", key, "mastoc", "totp-secret-encryption", 32)),
      hashing: Buffer.from(hkdfSync("sha256", key, "mastoc", "recovery-code-hash", 32)),
    };
  }
  return derived;
}

/** Encrypts a TOTP secret for `userId` (the user id is authenticated data: a copied row fails). */
export function encryptSecret(config: Config, userId: string, secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", keysOf(config).encryption, iv);
  cipher.setAAD(Buffer.from(userId));
  const body = Buffer.concat([cipher.update(secret, "utf8"), cipher.final()]);
  return ENCRYPTED_PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64url");
}

/** The secret, or null when it cannot be decrypted (another key, or a row copied from another user). */
export function decryptSecret(config: Config, userId: string, stored: string): string | null {
  if (!stored.startsWith(ENCRYPTED_PREFIX)) return null;
  const raw = Buffer.from(stored.slice(ENCRYPTED_PREFIX.length), "base64url");
  try {
    const decipher = createDecipheriv("aes-256-gcm", keysOf(config).encryption, raw.subarray(0, 12));
    decipher.setAAD(Buffer.from(userId));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
  } catch {
    return null;
  }
}

// Recovery codes: 10 characters from an alphabet without look-alikes (50 bits), shown as xxxxx-xxxxx.
const RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";
const normalizeCode = (code: string) => code.toLowerCase().replace(/[\s-]/g, "");
const isTotpShape = (code: string) => /^\d{6}$/.test(code);

function newRecoveryCode(): string {
  const chars = Array.from({ length: 10 }, () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)]);
  return `${chars.slice(0, 5).join("")}-${chars.slice(5).join("")}`;
}

function hashRecoveryCode(config: Config, userId: string, code: string): string {
  return createHmac("sha256", keysOf(config).hashing)
    .update(`${userId}:${normalizeCode(code)}`)
    .digest("hex");
}

type TwoFactorRow = {
  id: string;
  email: string;
  twoFactorSecret: string | null;
  twoFactorEnabledAt: Date | null;
};

const twoFactorRowSelect = { id: true, email: true, twoFactorSecret: true, twoFactorEnabledAt: true } as const;

async function twoFactorRow(db: Db, userId: string): Promise<TwoFactorRow> {
  return db.user.findUniqueOrThrow({ where: { id: userId }, select: twoFactorRowSelect });
}

export async function twoFactorStatus(db: Db, userId: string) {
  const [row, recoveryCodesLeft] = await Promise.all([
    db.user.findUniqueOrThrow({ where: { id: userId }, select: { twoFactorEnabledAt: true } }),
    db.recoveryCode.count({ where: { userId, usedAt: null } }),
  ]);
  return {
    enabled: row.twoFactorEnabledAt !== null,
    enabledAt: row.twoFactorEnabledAt,
    recoveryCodesLeft: row.twoFactorEnabledAt ? recoveryCodesLeft : 0,
  };
}

/**
 * Accepts a TOTP code of the current step (or one step either side) once: the step is recorded
 * by a conditional update, so the same code (or an older one) is refused afterwards.
 */
async function acceptTotp(db: Db, config: Config, row: TwoFactorRow, code: string): Promise<boolean> {
  if (!row.twoFactorSecret) return false;
  const secret = decryptSecret(config, row.id, row.twoFactorSecret);
  if (!secret) return false;
  const result = await verify({ secret, token: code, epochTolerance: 30 });
  if (!result.valid || !("timeStep" in result)) return false;
  const claimed = await db.user.updateMany({
    where: {
      id: row.id,
      twoFactorSecret: row.twoFactorSecret,
      OR: [{ twoFactorLastStep: null }, { twoFactorLastStep: { lt: result.timeStep } }],
    },
    data: { twoFactorLastStep: result.timeStep },
  });
  return claimed.count === 1;
}

/** Uses an unused recovery code of the user, once. */
async function acceptRecoveryCode(db: Db, config: Config, userId: string, code: string): Promise<boolean> {
  const used = await db.recoveryCode.updateMany({
    where: { userId, codeHash: hashRecoveryCode(config, userId, code), usedAt: null },
    data: { usedAt: new Date() },
  });
  return used.count === 1;
}

export type SecondFactor = "totp" | "recovery";

/**
 * Checks a second factor of an account with two-factor authentication on: a TOTP code, or a
 * recovery code when `recovery` allows it. Returns which one was used, or null.
 */
export async function checkSecondFactor(
  db: Db,
  config: Config,
  userId: string,
  code: string,
  options: { recovery: boolean },
): Promise<SecondFactor | null> {
  const row = await twoFactorRow(db, userId);
  if (!row.twoFactorEnabledAt) return null;
  const trimmed = code.trim();
  if (isTotpShape(trimmed)) return (await acceptTotp(db, config, row, trimmed)) ? "totp" : null;
  if (options.recovery && (await acceptRecoveryCode(db, config, userId, trimmed))) return "recovery";
  return null;
}

/** Wrong codes while signed in (enable, disable, regenerate) share one budget per account. */
async function confirmCode(db: Db, userId: string, check: () => Promise<SecondFactor | null>): Promise<SecondFactor> {
  const budget = {
    key: `confirm-2fa:${userId}`,
    limit: 5,
    windowSeconds: LOGIN_FAILURE_WINDOW_SECONDS,
    refusal: said("rateLimit.wrongCodes"),
  };
  return withinFailureBudget(db, budget, async () => {
    const factor = await check();
    if (!factor) throw fieldError("code", said("twoFactor.wrongCode"));
    return factor;
  });
}

/** Starts (or restarts) an enrolment: a new secret, pending until a code from it is confirmed. */
export async function beginSetup(db: Db, config: Config, user: { id: string; email: string }) {
  const secret = generateSecret();
  const pending = await db.user.updateMany({
    where: { id: user.id, twoFactorEnabledAt: null },
    data: { twoFactorSecret: encryptSecret(config, user.id, secret), twoFactorLastStep: null },
  });
  if (pending.count === 0) {
    throw apiError("CONFLICT", said("twoFactor.alreadyOnEnrol"));
  }
  const otpauthUri = generateURI({ issuer: TOTP_ISSUER, label: user.email, secret });
  const qrSvg = await QRCode.toString(otpauthUri, { type: "svg", margin: 1, errorCorrectionLevel: "M" });
  return { secret, otpauthUri, qrSvg };
}

/** Issues a fresh set of recovery codes (the old ones stop working) and returns them in clear, once. */
async function issueRecoveryCodes(db: Db, config: Config, userId: string): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  await db.$transaction([
    db.recoveryCode.deleteMany({ where: { userId } }),
    db.recoveryCode.createMany({
      data: codes.map((code) => ({ userId, codeHash: hashRecoveryCode(config, userId, code) })),
    }),
  ]);
  return codes;
}

/** Confirms the pending enrolment with a code from the new secret; answers the recovery codes. */
export async function enableTwoFactor(db: Db, config: Config, userId: string, code: string) {
  const row = await twoFactorRow(db, userId);
  if (row.twoFactorEnabledAt) {
    throw apiError("CONFLICT", said("twoFactor.alreadyOn"));
  }
  if (!row.twoFactorSecret) {
    throw apiError("PRECONDITION_FAILED", said("twoFactor.setupFirst"));
  }
  await confirmCode(db, userId, async () =>
    isTotpShape(code.trim()) && (await acceptTotp(db, config, row, code.trim())) ? "totp" : null,
  );
  const enabled = await db.user.updateMany({
    where: { id: userId, twoFactorEnabledAt: null, twoFactorSecret: row.twoFactorSecret },
    data: { twoFactorEnabledAt: new Date() },
  });
  if (enabled.count === 0) {
    throw apiError("CONFLICT", said("twoFactor.changedMeanwhile"));
  }
  return { recoveryCodes: await issueRecoveryCodes(db, config, userId) };
}

function requireEnabled(row: TwoFactorRow) {
  if (!row.twoFactorEnabledAt) {
    throw apiError("CONFLICT", said("twoFactor.notOn"));
  }
}

/** A TOTP or recovery code of the signed-in user (after their password was confirmed). */
export async function confirmSecondFactor(db: Db, config: Config, userId: string, code: string) {
  requireEnabled(await twoFactorRow(db, userId));
  return confirmCode(db, userId, () => checkSecondFactor(db, config, userId, code, { recovery: true }));
}

/** Turns two-factor authentication off: secret, recovery codes and pending challenges are gone. */
export async function clearTwoFactor(db: Db, userId: string): Promise<boolean> {
  const [cleared] = await db.$transaction([
    db.user.updateMany({
      where: { id: userId, twoFactorSecret: { not: null } },
      data: { twoFactorSecret: null, twoFactorEnabledAt: null, twoFactorLastStep: null },
    }),
    db.recoveryCode.deleteMany({ where: { userId } }),
    db.mfaChallenge.deleteMany({ where: { userId } }),
  ]);
  return cleared.count === 1;
}

export async function regenerateRecoveryCodes(db: Db, config: Config, userId: string) {
  return { recoveryCodes: await issueRecoveryCodes(db, config, userId) };
}

// The sign-in challenge.

/** Issues the token of a sign-in's second step (the password was right). */
export async function createMfaChallenge(db: Db, userId: string, client: string) {
  const token = randomToken("mfa_");
  await db.mfaChallenge.create({
    data: {
      userId,
      client,
      tokenHash: sha256(token),
      expiresAt: new Date(Date.now() + MFA_CHALLENGE_SECONDS * 1000),
    },
  });
  return { mfa_token: token, expires_in: MFA_CHALLENGE_SECONDS };
}

/** The live challenge of a token for `client`, or null (unknown, used, expired or void). */
export async function findMfaChallenge(db: Db, token: string, client: string) {
  const challenge = await db.mfaChallenge.findUnique({
    where: { tokenHash: sha256(token) },
    select: { id: true, userId: true, client: true, expiresAt: true, failures: true, usedAt: true },
  });
  if (
    !challenge ||
    challenge.client !== client ||
    challenge.usedAt ||
    challenge.expiresAt <= new Date() ||
    challenge.failures >= MFA_CHALLENGE_MAX_FAILURES
  ) {
    return null;
  }
  return challenge;
}

/** Counts a wrong code against the challenge (it is void after the fifth). */
export async function failMfaChallenge(db: Db, challengeId: string): Promise<void> {
  await db.mfaChallenge.updateMany({
    where: { id: challengeId, failures: { lt: MFA_CHALLENGE_MAX_FAILURES } },
    data: { failures: { increment: 1 } },
  });
}

/** Uses the challenge once: false when another request used it first. */
export async function consumeMfaChallenge(db: Db, challengeId: string): Promise<boolean> {
  const used = await db.mfaChallenge.updateMany({
    where: { id: challengeId, usedAt: null, failures: { lt: MFA_CHALLENGE_MAX_FAILURES } },
    data: { usedAt: new Date() },
  });
  return used.count === 1;
}

// Notices: every change of the second factor is mailed to the account's address.

export function sendTwoFactorNotice(
  config: Config,
  to: Recipient,
  notice: "enabled" | "disabled" | "reset" | "regenerated",
): void {
  sendMailInBackground(
    config,
    composeMail(config, to, `twoFactor.${notice}`, { forgotUrl: `${config.APP_URL}/forgot-password` }),
  );
}
