// A user's own security history, read from the audit trail: where their account was signed in
// to, what failed, and what changed about how it is protected.
import type { Db } from "@mastoc/db";
import { auditActionWords, type Locale } from "../i18n";
import { securityEventSelect } from "../selects";

/** The audit actions a user sees about their own account. */
export const SECURITY_EVENTS = [
  "auth.login.success",
  "auth.login.failure",
  "auth.mfa.failure",
  "auth.login.locked",
  "auth.lockout",
  "auth.refresh.reuse_detected",
  "auth.session.revoke",
  "auth.logout_all",
  "auth.password.change",
  "auth.password_reset.request",
  "auth.password_reset.confirm",
  "user.email.change",
  "auth.2fa.enable",
  "auth.2fa.disable",
  "auth.2fa.recovery_codes",
  "auth.2fa.recovery_code_used",
  "passkey.add",
  "passkey.rename",
  "passkey.delete",
  "apikey.create",
  "apikey.revoke",
  "oauth.grant",
  "oauth.consent.revoke",
  "admin.user.reset_2fa",
  "admin.user.unlock",
  "admin.user.deactivate",
  "admin.user.activate",
  "admin.user.role",
  "admin.user.verify_email",
  "admin.user.session_revoke",
];

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
export async function securityActivity(db: Db, userId: string, locale: Locale) {
  const rows = await db.auditLog.findMany({
    where: {
      action: { in: SECURITY_EVENTS },
      OR: [{ actorId: userId }, { targetType: "user", targetId: userId }],
    },
    select: securityEventSelect,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: SECURITY_ACTIVITY_LIMIT,
  });
  const describe = auditActionWords(locale);
  return rows.map((row) => {
    const byAdministrator = row.action.startsWith("admin.");
    return {
      id: row.id,
      action: row.action,
      description: describe(row.action),
      createdAt: row.createdAt,
      ip: byAdministrator ? null : row.ip,
      userAgent: byAdministrator ? null : row.userAgent,
      client: stringField(row.changes, "client"),
      method: stringField(row.changes, "method"),
      byAdministrator,
    };
  });
}
