import type { Db, Prisma } from "@mastoc/db";
import { apiObserver } from "../observability";

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
  apiObserver()?.audit?.({
    action: entry.action,
    actorId: entry.actor?.id ?? null,
    targetType: entry.targetType ?? null,
    targetId: entry.targetId ?? null,
  });
}

type RequestActor = {
  db: Db;
  user: { id: string; email?: string | null } | null;
  ip: string | null;
  userAgent: string | null;
};

/** Records what the caller of a request did: the actor, IP and user agent come from its context. */
export function auditRequest(
  ctx: RequestActor,
  action: string,
  target: { type: string; id: string | null },
  changes?: Prisma.InputJsonValue,
): Promise<void> {
  return recordAudit(ctx.db, {
    action,
    actor: ctx.user,
    targetType: target.type,
    targetId: target.id,
    changes,
    ip: ctx.ip,
    userAgent: ctx.userAgent,
  });
}
