import type { Context } from "../context";
import { exportAuditInput, listAuditInput } from "../schemas";
import { auditExport, auditKeyOf, auditPage, auditWhere } from "../services/audit-query";
import { capabilityProcedure, createCallerFactory, router } from "../trpc";
import { auditPageOutput } from "../outputs";

export const auditRouter = router({
  /** Newest first. Administrators read every entry; moderators only the entries about climbs. */
  list: capabilityProcedure("audit.readClimbs")
    .meta({
      rest: {
        method: "GET",
        path: "/audit",
        tag: "audit",
        summary: "The audit trail, newest first (moderators: climbs only)",
        description:
          "Cursor pagination: pass the answer's `nextCursor` as `cursor` for the next page. With `format=csv` or `format=ndjson`, answers instead every matching entry as a file, streamed (`cursor` and `limit` do not apply and are ignored); CSV cells that a spreadsheet would run as a formula start with `'`.",
        download: {
          parameter: "format",
          export: "audit",
          formats: { csv: "text/csv", ndjson: "application/x-ndjson" },
        },
        input: "query",
        status: 200,
      },
    })
    .input(listAuditInput)
    .output(auditPageOutput)
    .query(async ({ ctx, input }) => {
      const where = auditWhere(ctx.user, input);
      // The cursor is the last entry of the previous page; an unknown one ends the listing.
      const after = input.cursor ? await auditKeyOf(ctx.db, input.cursor) : null;
      if (input.cursor && !after) return { items: [], nextCursor: null };
      const rows = await auditPage(ctx.db, where, after, input.limit + 1);
      const items = rows.slice(0, input.limit);
      return { items, nextCursor: rows.length > input.limit ? (items.at(-1)?.id ?? null) : null };
    }),
});

/**
 * The audit export as a procedure of its own router, outside `appRouter`: a file is streamed over
 * HTTP (REST `GET /audit?format=…`, the portal's Export links), never sent as a tRPC answer. Being
 * a procedure, it is checked like every other one (credential, capability, well-formed input, the
 * schema) before a byte is sent.
 */
const exportRouter = router({
  audit: capabilityProcedure("audit.readClimbs")
    .input(exportAuditInput)
    .query(({ ctx, input: { format, ...filters } }) => auditExport(ctx.db, auditWhere(ctx.user, filters), format)),
});
const exportCaller = createCallerFactory(exportRouter);

/** Opens an export of the audit trail for the caller of `ctx`; `rawInput`: the list's filters and `format`. */
export function openAuditExport(ctx: Context, rawInput: unknown) {
  return exportCaller(ctx).audit(rawInput as never);
}
