import { TRPCError } from "@trpc/server";
import type { Db } from "@mastoc/db";
import type { Config } from "../config";
import { fieldError, invalidCredentials, tooManyRequests } from "../errors";
import { contextUserSelect } from "../selects";
import { recordAudit } from "./audit";
import { burnPasswordCheck, verifyPassword } from "./passwords";
import { countEvent, currentWindow, secondsUntil } from "./rate-limit";
import type { RequestMeta } from "./sessions";

/** Failed sign-ins per account are counted within this window (SPEC §3: 5 per 15 minutes). */
export const LOGIN_FAILURE_WINDOW_SECONDS = 15 * 60;
const LOCKED_MESSAGE = "Too many failed sign-in attempts for this account.";

const ipKey = (ip: string | null) => `login-ip:${ip ?? "unknown"}`;
const unknownAccountKey = (identifier: string) => `login-unknown:${identifier}`;

/**
 * The one credential check, used by `auth.login` and NextAuth's `authorize`. Unknown accounts and
 * wrong passwords fail alike (same error, a bcrypt comparison either way, and the same lockout
 * behaviour), so neither the message, the status nor the timing tells whether an account exists.
 */
export async function verifyCredentials(
  db: Db,
  config: Config,
  input: { email: string; password: string },
  meta: RequestMeta,
) {
  const now = new Date();
  const identifier = input.email.trim().toLowerCase();

  const ipWindow = await currentWindow(db, ipKey(meta.ip), now);
  if (ipWindow && ipWindow.count >= config.MAX_LOGIN_ATTEMPTS_PER_IP) {
    throw tooManyRequests("Too many failed sign-in attempts from your network.", secondsUntil(ipWindow.resetAt, now));
  }

  const user = await db.user.findUnique({
    where: identifier.includes("@") ? { email: identifier } : { username: identifier },
    select: {
      ...contextUserSelect,
      passwordHash: true,
      lockedUntil: true,
      failedLoginCount: true,
      lastFailedLoginAt: true,
    },
  });

  const failed = async () => {
    await countEvent(db, ipKey(meta.ip), LOGIN_FAILURE_WINDOW_SECONDS, now);
    await recordAudit(db, {
      action: "auth.login.failure",
      actor: user ? { id: user.id, email: user.email } : null,
      actorEmail: identifier.slice(0, 254),
      targetType: "user",
      targetId: user?.id ?? null,
      ip: meta.ip,
      userAgent: meta.userAgent,
    });
    return invalidCredentials();
  };

  if (!user) {
    const window = await currentWindow(db, unknownAccountKey(identifier), now);
    if (window && window.count >= config.MAX_LOGIN_ATTEMPTS) {
      throw tooManyRequests(LOCKED_MESSAGE, secondsUntil(window.resetAt, now));
    }
    await burnPasswordCheck(input.password);
    await countEvent(db, unknownAccountKey(identifier), config.ACCOUNT_LOCK_DURATION, now);
    throw await failed();
  }

  if (user.lockedUntil && user.lockedUntil > now) {
    await recordAudit(db, {
      action: "auth.login.locked",
      actor: { id: user.id, email: user.email },
      targetType: "user",
      targetId: user.id,
      ip: meta.ip,
      userAgent: meta.userAgent,
    });
    throw tooManyRequests(LOCKED_MESSAGE, secondsUntil(user.lockedUntil, now));
  }

  const valid = user.passwordHash
    ? await verifyPassword(input.password, user.passwordHash)
    : await burnPasswordCheck(input.password);
  if (!valid) {
    const windowStart = new Date(now.getTime() - LOGIN_FAILURE_WINDOW_SECONDS * 1000);
    const fresh = !user.lastFailedLoginAt || user.lastFailedLoginAt < windowStart;
    const updated = await db.user.update({
      where: { id: user.id },
      data: fresh
        ? { failedLoginCount: 1, lastFailedLoginAt: now }
        : { failedLoginCount: { increment: 1 }, lastFailedLoginAt: now },
      select: { failedLoginCount: true },
    });
    const error = await failed();
    if (updated.failedLoginCount >= config.MAX_LOGIN_ATTEMPTS) {
      const lockedUntil = new Date(now.getTime() + config.ACCOUNT_LOCK_DURATION * 1000);
      await db.user.update({ where: { id: user.id }, data: { lockedUntil, failedLoginCount: 0 } });
      await recordAudit(db, {
        action: "auth.lockout",
        actor: null,
        targetType: "user",
        targetId: user.id,
        changes: { lockedUntil: lockedUntil.toISOString(), failures: updated.failedLoginCount },
        ip: meta.ip,
        userAgent: meta.userAgent,
      });
    }
    throw error;
  }

  if (!user.isActive) {
    throw new TRPCError({ code: "FORBIDDEN", message: "This account has been deactivated. Contact an administrator." });
  }

  await db.user.update({
    where: { id: user.id },
    data: { failedLoginCount: 0, lastFailedLoginAt: null, lockedUntil: null, lastLoginAt: now },
  });
  const {
    passwordHash: _hash,
    lockedUntil: _locked,
    failedLoginCount: _count,
    lastFailedLoginAt: _last,
    ...identity
  } = user;
  return identity;
}

export type VerifiedUser = Awaited<ReturnType<typeof verifyCredentials>>;

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
  const key = `confirm-password:${userId}`;
  const window = await currentWindow(db, key);
  if (window && window.count >= config.MAX_LOGIN_ATTEMPTS) {
    throw tooManyRequests("Too many wrong passwords.", secondsUntil(window.resetAt));
  }
  const user = await db.user.findUniqueOrThrow({
    where: { id: userId },
    select: { passwordHash: true, email: true, username: true },
  });
  if (!user.passwordHash || !(await verifyPassword(password, user.passwordHash))) {
    await countEvent(db, key, LOGIN_FAILURE_WINDOW_SECONDS);
    throw fieldError(
      field,
      field === "currentPassword" ? "The current password is not correct" : "The password is not correct",
    );
  }
  return { email: user.email, username: user.username };
}
