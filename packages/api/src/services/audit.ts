import type { Db, Prisma } from "@mastoc/db";

export type AuditEntry = {
  action: string;
  actor?: { id: string; email?: string | null } | null;
  /** For failed sign-ins: the identifier that was tried (never the password). */
  actorEmail?: string | null;
  targetType?: string;
  targetId?: string | null;
  /** A small description of what changed. Never secrets: callers pass field names and new values only. */
  changes?: Prisma.InputJsonValue;
  ip?: string | null;
  userAgent?: string | null;
};

export async function recordAudit(db: Db | Prisma.TransactionClient, entry: AuditEntry): Promise<void> {
  await db.auditLog.create({
    data: {
      action: entry.action,
      actorId: entry.actor?.id ?? null,
      actorEmail: entry.actor?.email ?? entry.actorEmail ?? null,
      targetType: entry.targetType ?? null,
      targetId: entry.targetId ?? null,
      changes: entry.changes,
      ip: entry.ip ?? null,
      userAgent: entry.userAgent?.slice(0, 300) ?? null,
    },
  });
}
