import { TRPCError } from "@trpc/server";
import type { Prisma } from "@mastoc/db";
import { listAuditInput } from "../schemas";
import { can } from "../permissions";
import { auditSelect } from "../selects";
import { capabilityProcedure, router } from "../trpc";
import { auditPageOutput } from "../outputs";

export const auditRouter = router({
  /** Newest first. Administrators read every entry; moderators only the entries about climbs. */
  list: capabilityProcedure("audit.readClimbs")
    .input(listAuditInput)
    .output(auditPageOutput)
    .query(async ({ ctx, input }) => {
      const everything = can(ctx.user.role, "audit.readAll");
      if (!everything && input.targetType && input.targetType !== "climb") {
        throw new TRPCError({ code: "FORBIDDEN", message: "Moderators can only read the audit entries about climbs" });
      }
      const where: Prisma.AuditLogWhereInput = {
        ...(input.actorId ? { actorId: input.actorId } : {}),
        ...(input.action ? { action: { startsWith: input.action } } : {}),
        ...(input.targetId ? { targetId: input.targetId } : {}),
        ...(everything ? (input.targetType ? { targetType: input.targetType } : {}) : { targetType: "climb" }),
        ...(input.from || input.to
          ? { createdAt: { ...(input.from ? { gte: input.from } : {}), ...(input.to ? { lte: input.to } : {}) } }
          : {}),
      };
      const rows = await ctx.db.auditLog.findMany({
        where,
        select: auditSelect,
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        take: input.limit + 1,
        ...(input.cursor ? { cursor: { id: input.cursor }, skip: 1 } : {}),
      });
      const items = rows.slice(0, input.limit);
      return { items, nextCursor: rows.length > input.limit ? (items.at(-1)?.id ?? null) : null };
    }),
});
