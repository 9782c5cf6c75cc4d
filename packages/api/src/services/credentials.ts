import type { Db } from "@mastoc/db";
import type { Config } from "../config";
import { apiError, fieldError, invalidCredentials, said, tooManyRequests } from "../errors";
import { contextUserSelect } from "../selects";
import { describeClient } from "../readable";
import { recordAudit } from "./audit";
import { composeMail, mailLocale, sendMailInBackground } from "./mail";
import { clientWords, translator } from "../i18n";
import { burnPasswordCheck, verifyPassword } from "./passwords";
import { countEvent, secondsUntil, uncountEvent, withinFailureBudget } from "./rate-limit";
import type { RequestMeta } from "./sessions";
import { randomToken, sha256 } from "./tokens";

/** Failed sign-ins per account are counted within this window (by default 5 per 15 minutes lock it). */
export const LOGIN_FAILURE_WINDOW_SECONDS = 15 * 60;
const LOCKED_MESSAGE = said("rateLimit.locked");
const BUSY_MESSAGE = said("rateLimit.busy");
const BUSY_RETRY_SECONDS = 5;

const ipKey = (ip: string | null) => `login-ip:${ip ?? "unknown"}`;
const unknownAccountKey = (identifier: string) => `login-unknown:${identifier}`;

/**
 * Takes one sign-in attempt of an account in the database, in one statement: the attempt counts
 * against the account's failure window before its password is checked, so concurrent guesses each
 * get their own number and no more than the budget are ever verified. Returns that number, or null
 * when the account is locked.
 */
async function claimAttempt(db: Db, userId: string, now: Date): Promise<number | null> {
  const windowStart = new Date(now.getTime() - LOGIN_FAILURE_WINDOW_SECONDS * 1000);
  const rows = await db.$queryRaw<{ failedLoginCount: number | bigint }[]>`
    UPDATE "User" SET
      "failedLoginCount" = CASE
        WHEN "lastFailedLoginAt" IS NULL OR "lastFailedLoginAt" < ${windowStart} THEN 1
        ELSE "failedLoginCount" + 1 END,
      "lastFailedLoginAt" = ${now}
    WHERE "id" = ${userId} AND ("lockedUntil" IS NULL OR "lockedUntil" <= ${now})
    RETURNING "failedLoginCount"`;
  return rows[0] ? Number(rows[0].failedLoginCount) : null;
}

/**
 * The one credential check, used by `auth.login` and NextAuth's `authorize`. Unknown accounts and
 * wrong passwords fail alike (same error, a bcrypt comparison either way, and the same lockout
 * behaviour), so neither the message, the status nor the timing tells whether an account exists.
 * Every budget (per address, per account) is taken before the password is verified and decided
 * by the database, so a burst of concurrent attempts gets no more guesses than a sequence would.
 * Answers the account (as the request context sees it) and whether it asks for a second factor.
 */
export async function verifyCredentials(
  db: Db,
  config: Config,
  input: { email: string; password: string },
  meta: RequestMeta,
) {
  const now = new Date();
  const identifier = input.email.trim().toLowerCase();

  const ipWindow = await countEvent(db, ipKey(meta.ip), LOGIN_FAILURE_WINDOW_SECONDS, now);
  if (ipWindow.count > config.MAX_LOGIN_ATTEMPTS_PER_IP) {
    throw tooManyRequests(said("rateLimit.networkFailures"), secondsUntil(ipWindow.resetAt, now));
  }

  const user = await db.user.findUnique({
    where: identifier.includes("@") ? { email: identifier } : { username: identifier },
    select: { ...contextUserSelect, passwordHash: true, lockedUntil: true, twoFactorEnabledAt: true },
  });

  // A failed guess has no actor (whoever sent it is known by address only): the account is its
  // target; an identifier that matched no account is kept in the entry's changes.
  const failed = async () => {
    await recordAudit(db, {
      action: "auth.login.failure",
      actor: null,
      targetType: "user",
      targetId: user?.id ?? null,
      changes: user ? undefined : { identifier: identifier.slice(0, 254) },
      ip: meta.ip,
      userAgent: meta.userAgent,
    });
    return invalidCredentials();
  };

  if (!user) {
    const window = await countEvent(db, unknownAccountKey(identifier), config.ACCOUNT_LOCK_DURATION, now);
    if (window.count > config.MAX_LOGIN_ATTEMPTS) {
      throw tooManyRequests(LOCKED_MESSAGE, secondsUntil(window.resetAt, now));
    }
    await burnPasswordCheck(input.password, config.BCRYPT_COST);
    throw await failed();
  }

  const attempt = await claimAttempt(db, user.id, now);
  if (attempt !== null && attempt > config.MAX_LOGIN_ATTEMPTS) {
    // The budget is taken by attempts still being verified: refuse this one without locking, since
    // those may yet succeed (a legitimate client signing in several times at once).
    throw tooManyRequests(BUSY_MESSAGE, BUSY_RETRY_SECONDS);
  }
  if (attempt === null) throw await refuseLocked(db, user, now, meta);

  const valid = user.passwordHash
    ? await verifyPassword(input.password, user.passwordHash)
    : await burnPasswordCheck(input.password, config.BCRYPT_COST);
  if (!valid) {
    const error = await failed();
    if (attempt >= config.MAX_LOGIN_ATTEMPTS) await lockAccount(db, config, user.id, now, meta);
    throw error;
  }

  if (!user.isActive) {
    throw apiError("FORBIDDEN", said("auth.deactivated"));
  }

  const { passwordHash: _hash, lockedUntil: _locked, twoFactorEnabledAt, ...identity } = user;
  return { user: identity, twoFactor: twoFactorEnabledAt !== null };
}

/**
 * Completes a sign-in once every factor passed: the account's failures are cleared and this
 * address's forgiven. Until then the password attempt stays counted, so that a caller who knows
 * the password gets no more guesses at the second factor than the failure budget allows.
 */
export async function recordSignInSuccess(db: Db, userId: string, meta: RequestMeta, now: Date): Promise<void> {
  await db.user.update({
    where: { id: userId },
    data: { failedLoginCount: 0, lastFailedLoginAt: null, lockedUntil: null, lastLoginAt: now },
  });
  await uncountEvent(db, ipKey(meta.ip));
}

/** Locks the account for ACCOUNT_LOCK_DURATION; only the attempt that sets the lock audits it. */
async function lockAccount(db: Db, config: Config, userId: string, now: Date, meta: RequestMeta) {
  const lockedUntil = new Date(now.getTime() + config.ACCOUNT_LOCK_DURATION * 1000);
  const locked = await db.user.updateMany({
    where: { id: userId, OR: [{ lockedUntil: null }, { lockedUntil: { lte: now } }] },
    data: { lockedUntil, failedLoginCount: 0 },
  });
  if (locked.count === 1) {
    await mailLockout(db, config, userId, lockedUntil, meta);
    await recordAudit(db, {
      action: "auth.lockout",
      actor: null,
      targetType: "user",
      targetId: userId,
      changes: { lockedUntil: lockedUntil.toISOString(), failures: config.MAX_LOGIN_ATTEMPTS },
      ip: meta.ip,
      userAgent: meta.userAgent,
    });
  }
}

/**
 * Tells an account's owner that it was just locked after failed sign-ins: when, from where, and a
 * password-reset link (valid RESET_TOKEN_EXPIRE_MINUTES, like one asked for) in case the guesses
 * were not theirs. Only the attempt that set the lock mails, so a lock mails once.
 */
async function mailLockout(db: Db, config: Config, userId: string, lockedUntil: Date, meta: RequestMeta) {
  const user = await db.user.findUnique({
    where: { id: userId },
    select: { email: true, isActive: true, locale: true, timeZone: true },
  });
  if (!user?.isActive) return;
  const token = randomToken();
  const minutes = config.RESET_TOKEN_EXPIRE_MINUTES;
  await db.passwordResetToken.create({
    data: { userId, tokenHash: sha256(token), expiresAt: new Date(Date.now() + minutes * 60_000), ip: meta.ip },
  });
  const mail = composeMail(config, user, "lockout", {
    attempts: config.MAX_LOGIN_ATTEMPTS,
    lockedAt: new Date(),
    lockedUntil,
    address: meta.ip ?? translator(mailLocale(config, user), "email")("unknownAddress"),
    client: describeClient(meta.userAgent, clientWords(mailLocale(config, user))),
    minutes,
    link: `${config.APP_URL}/reset-password?token=${encodeURIComponent(token)}`,
    securityUrl: `${config.APP_URL}/profile/security`,
  });
  sendMailInBackground(config, mail);
}

/** The 429 of a locked account, with the seconds left (audited as `auth.login.locked`, with no actor). */
async function refuseLocked(db: Db, user: { id: string; email: string }, now: Date, meta: RequestMeta) {
  await recordAudit(db, {
    action: "auth.login.locked",
    actor: null,
    targetType: "user",
    targetId: user.id,
    ip: meta.ip,
    userAgent: meta.userAgent,
  });
  const row = await db.user.findUnique({ where: { id: user.id }, select: { lockedUntil: true } });
  const until = row?.lockedUntil && row.lockedUntil > now ? row.lockedUntil : new Date(now.getTime() + 1000);
  return tooManyRequests(LOCKED_MESSAGE, secondsUntil(until, now));
}

/**
 * Takes one attempt of the account's sign-in budget for a second-factor code, before the code
 * is checked (as for passwords). The returned `fail` records a wrong code and locks the account
 * when it used the last attempt.
 */
export async function claimSecondFactorAttempt(
  db: Db,
  config: Config,
  user: { id: string; email: string },
  meta: RequestMeta,
) {
  const now = new Date();
  const attempt = await claimAttempt(db, user.id, now);
  if (attempt === null) throw await refuseLocked(db, user, now, meta);
  if (attempt > config.MAX_LOGIN_ATTEMPTS) throw tooManyRequests(BUSY_MESSAGE, BUSY_RETRY_SECONDS);
  return {
    fail: async () => {
      await recordAudit(db, {
        action: "auth.mfa.failure",
        actor: null,
        targetType: "user",
        targetId: user.id,
        ip: meta.ip,
        userAgent: meta.userAgent,
      });
      if (attempt >= config.MAX_LOGIN_ATTEMPTS) await lockAccount(db, config, user.id, now, meta);
    },
  };
}

/**
 * Re-checks the signed-in user's password before a sensitive change (password change, account
 * deletion). Wrong answers count against the same per-account budget as sign-ins, so a stolen
 * session cannot be used to guess the password.
 */
export async function confirmPassword(
  db: Db,
  config: Config,
  userId: string,
  password: string,
  field: string,
): Promise<{ email: string; username: string }> {
  const budget = {
    key: `confirm-password:${userId}`,
    limit: config.MAX_LOGIN_ATTEMPTS,
    windowSeconds: LOGIN_FAILURE_WINDOW_SECONDS,
    refusal: said("rateLimit.wrongPasswords"),
  };
  return withinFailureBudget(db, budget, async () => {
    const user = await db.user.findUniqueOrThrow({
      where: { id: userId },
      select: { passwordHash: true, email: true, username: true },
    });
    if (!user.passwordHash || !(await verifyPassword(password, user.passwordHash))) {
      throw fieldError(
        field,
        field === "currentPassword" ? said("auth.wrongCurrentPassword") : said("auth.wrongPassword"),
      );
    }
    return { email: user.email, username: user.username };
  });
}
