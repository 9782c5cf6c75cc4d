// Proof of control of an email address: single-use links (256-bit random, stored as SHA-256,
// valid 24 hours) for verifying the account's address and for moving it to a new one. Every
// mail is rate-limited per account; a new link voids the older ones of its kind.
import { TRPCError } from "@trpc/server";
import { providerOf, type Db } from "@mastoc/db";
import type { Config } from "../config";
import { fieldError, tooManyRequests } from "../errors";
import { selfUserSelect } from "../selects";
import { sendMailInBackground } from "./mail";
import { countEvent, secondsUntil } from "./rate-limit";
import { randomToken, sha256 } from "./tokens";

export type EmailTokenPurpose = "verify" | "change";

export const EMAIL_TOKEN_HOURS = 24;
const HOUR = 3600;
/** Links of each kind one account may be sent per hour. */
export const EMAIL_LINKS_PER_HOUR = 5;

const INVALID_LINK = "This link is invalid, has already been used or has expired. Ask for a new one.";

/** Counts one more link of `purpose` for the account; past the hourly budget, refuses with 429 (or returns false when `quiet`). */
export async function claimLinkBudget(db: Db, userId: string, purpose: EmailTokenPurpose, quiet = false) {
  const window = await countEvent(db, `email-${purpose}:${userId}`, HOUR);
  if (window.count <= EMAIL_LINKS_PER_HOUR) return true;
  if (quiet) return false;
  throw tooManyRequests(
    purpose === "verify" ? "Too many verification emails requested." : "Too many email changes requested.",
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
export async function sendVerificationLink(db: Db, config: Config, user: { id: string; email: string }) {
  const token = await issueToken(db, user.id, "verify", user.email);
  sendMailInBackground(config, {
    to: user.email,
    subject: "Verify your mastoc email address",
    text:
      `Welcome to mastoc! Confirm that this address is yours by opening this link within ${EMAIL_TOKEN_HOURS} hours:\n` +
      `${linkFor(config, token)}\n\n` +
      `If you did not create a mastoc account, ignore this message.\n`,
  });
}

/** Mails a confirmation link to the new address, and a notice to the current one. */
export async function sendEmailChangeLinks(
  db: Db,
  config: Config,
  user: { id: string; email: string },
  newEmail: string,
) {
  const token = await issueToken(db, user.id, "change", newEmail);
  sendMailInBackground(config, {
    to: newEmail,
    subject: "Confirm your new mastoc email address",
    text:
      `Someone (hopefully you) asked to use this address for the mastoc account ${user.email}.\n\n` +
      `Open this link within ${EMAIL_TOKEN_HOURS} hours to confirm the change:\n${linkFor(config, token)}\n\n` +
      `Until then the account keeps its current address. If this was not you, ignore this message.\n`,
  });
  sendMailInBackground(config, {
    to: user.email,
    subject: "A change of your mastoc email address was requested",
    text:
      `Someone signed in to your mastoc account asked to change its email address to ${newEmail}.\n` +
      `Nothing changes until the link sent to that address is opened.\n\n` +
      `If this was not you, change your password now at ${config.APP_URL}/profile and sign out your other sessions.\n`,
  });
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
  if (!stillValid) throw fieldError("token", INVALID_LINK);
  const purpose = row.purpose as EmailTokenPurpose;
  const previousEmail = row.user.email;
  // Claimed first (one statement), so concurrent uses of one link cannot both apply it.
  const claimed = await db.emailToken.updateMany({ where: { id: row.id, usedAt: null }, data: { usedAt: now } });
  if (claimed.count === 0) throw fieldError("token", INVALID_LINK);
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

/** The refusal of a sign-in while REQUIRE_VERIFIED_EMAIL holds and the address is unverified. */
export function unverifiedEmail(): TRPCError {
  return new TRPCError({
    code: "FORBIDDEN",
    message:
      "Verify your email address to sign in: open the link we emailed you (a new one has been sent, at most 5 an hour; check your spam folder too).",
  });
}
