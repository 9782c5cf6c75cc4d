import { listAuditInput } from "../schemas";
import { auditOrder, auditWhere } from "../services/audit-query";
import { auditSelect } from "../selects";
import { capabilityProcedure, router } from "../trpc";
import { auditPageOutput } from "../outputs";

export const auditRouter = router({
  /** Newest first. Administrators read every entry; moderators only the entries about climbs. */
  list: capabilityProcedure("audit.readClimbs")
    .input(listAuditInput)
    .output(auditPageOutput)
    .query(async ({ ctx, input }) => {
      const where = auditWhere(ctx.user, input);
      const rows = await ctx.db.auditLog.findMany({
        where,
        select: auditSelect,
        orderBy: auditOrder,
        take: input.limit + 1,
        ...(input.cursor ? { cursor: { id: input.cursor }, skip: 1 } : {}),
      });
      const items = rows.slice(0, input.limit);
      return { items, nextCursor: rows.length > input.limit ? (items.at(-1)?.id ?? null) : null };
    }),
});
