// Reading the audit trail: one filter for the paged list (`audit.list`) and the file export
// (`GET /api/v1/audit?format=csv|ndjson`, the portal's Export button), so both see exactly the
// same entries under the same permissions; keyset pages of it; and the export's file, streamed
// batch by batch.
import type { ServerResponse } from "node:http";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { setImmediate } from "node:timers/promises";
import type { z } from "zod";
import { openReader, Prisma, type Db } from "@mastoc/db";
import type { Context } from "../context";
import { can } from "../permissions";
import type { listAuditInput } from "../schemas";
import { auditSelect } from "../selects";
import { apiError, said } from "../errors";

type AuditFilters = Omit<z.infer<typeof listAuditInput>, "cursor" | "limit">;

/** A LIKE pattern matching the values that start with `prefix` (with `ESCAPE '\\'`). */
const startsWithPattern = (prefix: string) => `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * The entries a reader of the audit trail (capability `audit.readClimbs`) may read that match the
 * filters, as an SQL condition: administrators read every entry, moderators only the entries about
 * climbs (asking for another target type is refused).
 */
export function auditWhere(user: NonNullable<Context["user"]>, filters: AuditFilters): Prisma.Sql {
  const everything = can(user.role, "audit.readAll");
  if (!everything && filters.targetType && filters.targetType !== "climb") {
    throw apiError("FORBIDDEN", said("permission.moderatorsClimbAudit"));
  }
  const targetType = everything ? filters.targetType : "climb";
  const conditions = [
    filters.actorId ? Prisma.sql`"actorId" = ${filters.actorId}` : null,
    filters.action ? Prisma.sql`"action" LIKE ${startsWithPattern(filters.action)} ESCAPE '\\'` : null,
    filters.targetId ? Prisma.sql`"targetId" = ${filters.targetId}` : null,
    filters.ip ? Prisma.sql`"ip" = ${filters.ip}` : null,
    targetType ? Prisma.sql`"targetType" = ${targetType}` : null,
    filters.from ? Prisma.sql`"createdAt" >= ${filters.from}` : null,
    filters.to ? Prisma.sql`"createdAt" <= ${filters.to}` : null,
  ].filter((condition) => condition !== null);
  return conditions.length > 0 ? Prisma.join(conditions, " AND ") : Prisma.sql`1 = 1`;
}

/** Where a keyset page starts: after this entry, in the order newest first. */
export type AuditKey = { createdAt: Date; id: string };

/**
 * One page of the entries `where` selects, newest first (the id breaks ties), after `after`.
 * A keyset page: the row comparison `("createdAt", "id") < (…)` seeks in the index
 * AuditLog(createdAt, id), so a deep page costs what the first one costs, and entries that share a
 * timestamp, or are written meanwhile, are never skipped or repeated.
 */
export function auditPage(db: Db, where: Prisma.Sql, after: AuditKey | null, limit: number): Promise<AuditRow[]> {
  return db.$queryRaw<AuditRow[]>(auditPageSql(where, after, limit));
}

function auditPageSql(where: Prisma.Sql, after: AuditKey | null, limit: number): Prisma.Sql {
  const from = after ? Prisma.sql`("createdAt", "id") < (${after.createdAt}, ${after.id})` : Prisma.sql`1 = 1`;
  return Prisma.sql`
    SELECT "id", "actorId", "actorEmail", "action", "targetType", "targetId", "ip", "userAgent", "changes", "createdAt"
    FROM "AuditLog" WHERE ${where} AND ${from}
    ORDER BY "createdAt" DESC, "id" DESC LIMIT ${limit}`;
}

/** The key of the entry `id`, where the audit list's next page starts (null: no such entry). */
export async function auditKeyOf(db: Db, id: string): Promise<AuditKey | null> {
  const [key] = await db.$queryRaw<AuditKey[]>`SELECT "createdAt", "id" FROM "AuditLog" WHERE "id" = ${id}`;
  return key ?? null;
}

type AuditRow = Prisma.AuditLogGetPayload<{ select: typeof auditSelect }>;

/** The export's columns, in order. */
export const AUDIT_EXPORT_COLUMNS = [
  "createdAt",
  "action",
  "actorId",
  "actorEmail",
  "targetType",
  "targetId",
  "ip",
  "userAgent",
  "changes",
] as const satisfies readonly (keyof AuditRow)[];

/**
 * One CSV cell (RFC 4180): quoted when it holds a quote, comma or line break. A cell a spreadsheet
 * would run as a formula (starting with = + - @ or a tab or carriage return) is prefixed with `'`.
 */
export function csvCell(value: string | null): string {
  if (value === null) return "";
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function csvLine(row: AuditRow): string {
  return `${AUDIT_EXPORT_COLUMNS.map((column) => {
    const value = row[column];
    if (value instanceof Date) return csvCell(value.toISOString());
    if (column === "changes") return csvCell(value === null ? null : JSON.stringify(value));
    return csvCell(value as string | null);
  }).join(",")}\r\n`;
}

const ndjsonLine = (row: AuditRow) => `${JSON.stringify({ ...row, createdAt: row.createdAt.toISOString() })}\n`;

/** Entries are read this many at a time, so an export of any size holds one batch in memory. */
const EXPORT_BATCH = 500;

/**
 * The export's lines, batch by batch, read on a connection of its own straight through the driver
 * (openReader: Prisma's engine would cost several times the reading itself), keyset page after
 * keyset page.
 */
async function* exportLines(db: Db, where: Prisma.Sql, format: "csv" | "ndjson"): AsyncGenerator<string> {
  if (format === "csv") yield `${AUDIT_EXPORT_COLUMNS.join(",")}\r\n`;
  const reader = openReader(db);
  try {
    let after: AuditKey | null = null;
    for (;;) {
      const rows: AuditRow[] = await reader.query<AuditRow>(auditPageSql(where, after, EXPORT_BATCH), EXPORT_COLUMNS);
      if (rows.length > 0) yield rows.map(format === "csv" ? csvLine : ndjsonLine).join("");
      if (rows.length < EXPORT_BATCH) return;
      const last = rows.at(-1)!;
      after = { createdAt: last.createdAt, id: last.id };
      // better-sqlite3 runs each batch on the event loop's thread: let the requests that arrived
      // meanwhile run before the next batch, so an export of any size never stalls the server.
      await setImmediate();
    }
  } finally {
    await reader.close();
  }
}

const EXPORT_COLUMNS = { dates: ["createdAt"], json: ["changes"] } as const;

export type AuditExport = {
  contentType: string;
  filename: string;
  /** The file, produced batch by batch as it is read (back-pressure pauses the reading). */
  body: Readable;
};

/**
 * An export of the entries `where` selects, as a file of `format`; the caller (the `export`
 * procedure of routers/audit.ts) has checked who asks and what.
 */
export function auditExport(db: Db, where: Prisma.Sql, format: "csv" | "ndjson"): AuditExport {
  const day = new Date().toISOString().slice(0, 10);
  return {
    contentType: format === "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8",
    filename: `mastoc-audit-${day}.${format}`,
    body: Readable.from(exportLines(db, where, format)),
  };
}

/**
 * Sends an export as an HTTP download. A failure once the first bytes are out can no longer be
 * answered with a status: the connection is cut, so the client sees an incomplete file, never a
 * complete-looking one.
 */
export async function sendAuditExport(response: ServerResponse, exported: AuditExport): Promise<void> {
  response.writeHead(200, {
    "content-type": exported.contentType,
    "content-disposition": `attachment; filename="${exported.filename}"`,
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
  });
  try {
    await pipeline(exported.body, response);
  } catch (error) {
    // A client that goes away mid-download is not a fault of the server.
    if ((error as NodeJS.ErrnoException).code !== "ERR_STREAM_PREMATURE_CLOSE") {
      console.error("[audit] export failed:", error);
    }
    response.destroy();
  }
}
