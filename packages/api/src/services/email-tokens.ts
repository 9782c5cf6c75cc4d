// Links mailed to an account's address, each a proof of control of that address: single-use
// (256-bit random, stored as SHA-256 only), rate-limited per account.
// - Verification and email-change links: valid 24 hours; a new link voids the older ones of its kind.
// - Password reset links: valid RESET_TOKEN_EXPIRE_MINUTES; several may be live, and using one voids
//   them all. They have their own table, which also keeps the address that asked for the link.
import { TRPCError } from "@trpc/server";
import { providerOf, type Db } from "@mastoc/db";
import type { Config } from "../config";
import { apiError, fieldError, said, tooManyRequests } from "../errors";
import { selfUserSelect } from "../selects";
import { composeMail, sendMailInBackground, type Recipient } from "./mail";
import { countEvent, secondsUntil } from "./rate-limit";
import { randomToken, sha256 } from "./tokens";

export type EmailTokenPurpose = "verify" | "change";

export const EMAIL_TOKEN_HOURS = 24;
const HOUR = 3600;
/** Links of each kind one account may be sent per hour. */
export const EMAIL_LINKS_PER_HOUR = 5;

/** The refusal of a link that does not exist, was used, expired, or whose account was deactivated. */
const invalidLink = (what: "link" | "reset link") =>
  fieldError("token", said(what === "link" ? "auth.invalidLink" : "auth.invalidResetLink"));

/** Counts one more link of `purpose` for the account; past the hourly budget, refuses with 429 (or returns false when `quiet`). */
export async function claimLinkBudget(db: Db, userId: string, purpose: EmailTokenPurpose, quiet = false) {
  const window = await countEvent(db, `email-${purpose}:${userId}`, HOUR);
  if (window.count <= EMAIL_LINKS_PER_HOUR) return true;
  if (quiet) return false;
  throw tooManyRequests(
    said(purpose === "verify" ? "rateLimit.verificationEmails" : "rateLimit.emailChanges"),
    secondsUntil(window.resetAt),
  );
}

/**
 * A new link for `email`, voiding the account's earlier unused links of the same purpose: at most
 * one link of a purpose is live. Concurrent requests for one account take turns (PostgreSQL: a
 * transaction-level advisory lock on the account; SQLite runs one write transaction at a time),
 * so each voids the link of the one before it.
 */
async function issueToken(db: Db, userId: string, purpose: EmailTokenPurpose, email: string): Promise<string> {
  const token = randomToken();
  const now = new Date();
  await db.$transaction(async (tx) => {
    if (providerOf(db) === "postgresql") {
      await tx.$queryRaw`SELECT 1 AS locked FROM pg_advisory_xact_lock(hashtextextended(${`email-token:${userId}`}, 0))`;
    }
    await tx.emailToken.updateMany({ where: { userId, purpose, usedAt: null }, data: { usedAt: now } });
    await tx.emailToken.create({
      data: {
        userId,
        purpose,
        email,
        tokenHash: sha256(token),
        expiresAt: new Date(now.getTime() + EMAIL_TOKEN_HOURS * HOUR * 1000),
      },
    });
  });
  return token;
}

const linkFor = (config: Config, token: string) => `${config.APP_URL}/verify-email?token=${encodeURIComponent(token)}`;

/** Mails a verification link for the account's current address. */
export async function sendVerificationLink(db: Db, config: Config, user: Recipient & { id: string }) {
  const token = await issueToken(db, user.id, "verify", user.email);
  sendMailInBackground(
    config,
    composeMail(config, user, "verify", { hours: EMAIL_TOKEN_HOURS, link: linkFor(config, token) }),
  );
}

/** Mails a confirmation link to the new address, and a notice to the current one. */
export async function sendEmailChangeLinks(db: Db, config: Config, user: Recipient & { id: string }, newEmail: string) {
  const token = await issueToken(db, user.id, "change", newEmail);
  // The new address belongs to the same person: their saved language, at either address.
  sendMailInBackground(
    config,
    composeMail(config, { ...user, email: newEmail }, "changeConfirm", {
      current: user.email,
      hours: EMAIL_TOKEN_HOURS,
      link: linkFor(config, token),
    }),
  );
  sendMailInBackground(
    config,
    composeMail(config, user, "changeNotice", { newEmail, securityUrl: `${config.APP_URL}/profile/security` }),
  );
}

/**
 * Uses a link: the account's address is marked verified, or replaced by the new address (verified
 * too). A link works once; an address taken meanwhile is refused (CONFLICT) without using it up.
 */
export async function confirmEmailToken(db: Db, token: string) {
  const now = new Date();
  const row = await db.emailToken.findUnique({
    where: { tokenHash: sha256(token) },
    select: {
      id: true,
      userId: true,
      purpose: true,
      email: true,
      usedAt: true,
      expiresAt: true,
      user: { select: { email: true, isActive: true } },
    },
  });
  const stillValid =
    row &&
    !row.usedAt &&
    row.expiresAt > now &&
    row.user.isActive &&
    // A verification link proves the address it was sent to, not whatever the account uses now.
    (row.purpose !== "verify" || row.user.email === row.email);
  if (!stillValid) throw invalidLink("link");
  const purpose = row.purpose as EmailTokenPurpose;
  const previousEmail = row.user.email;
  // Claimed first (one statement), so concurrent uses of one link cannot both apply it.
  const claimed = await db.emailToken.updateMany({ where: { id: row.id, usedAt: null }, data: { usedAt: now } });
  if (claimed.count === 0) throw invalidLink("link");
  let user;
  try {
    user = await db.user.update({
      where: { id: row.userId },
      data: purpose === "change" ? { email: row.email, emailVerified: now } : { emailVerified: now },
      select: selfUserSelect,
    });
  } catch (error) {
    // The new address was taken meanwhile (a unique violation, answered as CONFLICT): the link stays usable.
    await db.emailToken.updateMany({ where: { id: row.id }, data: { usedAt: null } });
    throw error;
  }
  if (purpose === "change") {
    await db.emailToken.updateMany({ where: { userId: row.userId, usedAt: null }, data: { usedAt: now } });
  }
  return { user, purpose, previousEmail };
}

/** Reset links one address may be sent per hour; requests past it are answered alike and send nothing. */
export const RESET_LINKS_PER_HOUR = 5;

/**
 * Mails a password reset link to the account of `email`, if it exists, is active and is within its
 * hourly budget (counted per address, known or not). Answers whether a link was sent, for the audit.
 */
export async function sendPasswordResetLink(
  db: Db,
  config: Config,
  email: string,
  ip: string | null,
): Promise<{ userId: string | null; sent: boolean }> {
  const window = await countEvent(db, `reset-account:${email}`, HOUR);
  const user = await db.user.findUnique({
    where: { email },
    select: { id: true, email: true, isActive: true, locale: true, timeZone: true },
  });
  if (!user?.isActive || window.count > RESET_LINKS_PER_HOUR) return { userId: user?.id ?? null, sent: false };
  const token = randomToken();
  const minutes = config.RESET_TOKEN_EXPIRE_MINUTES;
  await db.passwordResetToken.create({
    data: { userId: user.id, tokenHash: sha256(token), expiresAt: new Date(Date.now() + minutes * 60_000), ip },
  });
  sendMailInBackground(
    config,
    composeMail(config, user, "reset", {
      minutes,
      link: `${config.APP_URL}/reset-password?token=${encodeURIComponent(token)}`,
    }),
  );
  return { userId: user.id, sent: true };
}

/**
 * Uses a password reset link: `passwordHashFor` checks the new password against the account (it
 * throws to refuse it, leaving the link usable) and hashes it; then the link is claimed (one
 * statement, so concurrent uses cannot both succeed), and in one transaction the password is set,
 * the account unlocked and every other reset link of the account voided. Sessions are the caller's
 * business. Answers the account.
 */
export async function usePasswordResetLink(
  db: Db,
  token: string,
  passwordHashFor: (user: { id: string; email: string; username: string }) => Promise<string>,
): Promise<Recipient & { id: string }> {
  const now = new Date();
  const row = await db.passwordResetToken.findUnique({
    where: { tokenHash: sha256(token) },
    select: {
      id: true,
      usedAt: true,
      expiresAt: true,
      user: { select: { id: true, email: true, username: true, isActive: true, locale: true, timeZone: true } },
    },
  });
  if (!row || row.usedAt || row.expiresAt <= now || !row.user.isActive) throw invalidLink("reset link");
  const passwordHash = await passwordHashFor(row.user);
  const claimed = await db.passwordResetToken.updateMany({
    where: { id: row.id, usedAt: null },
    data: { usedAt: now },
  });
  if (claimed.count === 0) throw invalidLink("reset link");
  const userId = row.user.id;
  await db.$transaction([
    db.user.update({
      where: { id: userId },
      data: { passwordHash, passwordChangedAt: now, lockedUntil: null, failedLoginCount: 0, lastFailedLoginAt: null },
    }),
    db.passwordResetToken.updateMany({ where: { userId, usedAt: null }, data: { usedAt: now } }),
  ]);
  return { id: userId, email: row.user.email, locale: row.user.locale, timeZone: row.user.timeZone };
}

/** The refusal of a sign-in while REQUIRE_VERIFIED_EMAIL holds and the address is unverified. */
export function unverifiedEmail(): TRPCError {
  return apiError("FORBIDDEN", said("auth.unverifiedEmail"));
}
