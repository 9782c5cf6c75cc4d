// A user's own security history, read from the audit trail: where their account was signed in
// to, what failed, and what changed about how it is protected.
import type { Db } from "@mastoc/db";
import { securityEventSelect } from "../selects";

/** The audit actions a user sees about their own account, with how each reads to them. */
export const securityEventLabels: Record<string, string> = {
  "auth.login.success": "Signed in",
  "auth.login.failure": "Failed sign-in (wrong password)",
  "auth.mfa.failure": "Failed sign-in (wrong second-factor code)",
  "auth.login.locked": "Sign-in refused: account locked",
  "auth.lockout": "Account locked after failed sign-ins",
  "auth.refresh.reuse_detected": "Session ended: a refresh token was used twice",
  "auth.session.revoke": "Session signed out",
  "auth.logout_all": "Signed out everywhere",
  "auth.password.change": "Password changed",
  "auth.password_reset.request": "Password reset requested",
  "auth.password_reset.confirm": "Password reset",
  "user.email.change": "Email address changed",
  "auth.2fa.enable": "Two-factor authentication turned on",
  "auth.2fa.disable": "Two-factor authentication turned off",
  "auth.2fa.recovery_codes": "New recovery codes generated",
  "auth.2fa.recovery_code_used": "Recovery code used to sign in",
  "passkey.add": "Passkey added",
  "passkey.rename": "Passkey renamed",
  "passkey.delete": "Passkey deleted",
  "apikey.create": "API key created",
  "apikey.revoke": "API key revoked",
  "oauth.grant": "Signed in to an app with mastoc",
  "oauth.consent.revoke": "Connected app removed",
  "admin.user.reset_2fa": "Two-factor authentication reset by an administrator",
  "admin.user.unlock": "Account unlocked by an administrator",
  "admin.user.deactivate": "Account deactivated by an administrator",
  "admin.user.activate": "Account reactivated by an administrator",
  "admin.user.role": "Role changed by an administrator",
  "admin.user.verify_email": "Email address marked verified by an administrator",
  "admin.user.session_revoke": "Session signed out by an administrator",
};

/** How many events the profile shows. */
export const SECURITY_ACTIVITY_LIMIT = 30;

const stringField = (changes: unknown, key: string): string | null => {
  if (typeof changes !== "object" || changes === null || Array.isArray(changes)) return null;
  const value = (changes as Record<string, unknown>)[key];
  return typeof value === "string" ? value : null;
};

/**
 * The last security events of the account `userId`: what it did, and what was done to it (failed
 * sign-ins, lockouts, administrators' changes). An event another person caused (an administrator)
 * shows neither their address nor their client: only the user's own requests and the attempts on
 * their account show where they came from.
 */
export async function securityActivity(db: Db, userId: string) {
  const rows = await db.auditLog.findMany({
    where: {
      action: { in: Object.keys(securityEventLabels) },
      OR: [{ actorId: userId }, { targetType: "user", targetId: userId }],
    },
    select: securityEventSelect,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: SECURITY_ACTIVITY_LIMIT,
  });
  return rows.map((row) => {
    const byAdministrator = row.action.startsWith("admin.");
    return {
      id: row.id,
      action: row.action,
      description: securityEventLabels[row.action]!,
      createdAt: row.createdAt,
      ip: byAdministrator ? null : row.ip,
      userAgent: byAdministrator ? null : row.userAgent,
      client: stringField(row.changes, "client"),
      method: stringField(row.changes, "method"),
      byAdministrator,
    };
  });
}
