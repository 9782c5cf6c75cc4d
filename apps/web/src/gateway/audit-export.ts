// The portal's audit export (`/admin/audit/export?format=csv|ndjson&…filters`): the Export links
// of /admin/audit, authenticated by the browser's session cookie. The REST facade serves the same
// export to tokens and API keys (`GET /api/v1/audit?format=…`); both stream from one service.
import type { IncomingMessage, ServerResponse } from "node:http";
import { TRPCError } from "@trpc/server";
import { createContext, openAuditExport, problemOf, sendAuditExport } from "@mastoc/api";
import { requestMeta, webSessionClaims } from "../identity/request";

export const AUDIT_EXPORT_PATH = "/admin/audit/export";

export async function serveAuditExport(request: IncomingMessage, response: ServerResponse): Promise<void> {
  request.resume();
  try {
    if (request.method !== "GET") {
      response.writeHead(405, { allow: "GET", "content-type": "text/plain; charset=utf-8" });
      response.end("Use GET");
      return;
    }
    const context = await createContext({
      // Only the session cookie counts here: this is the browser's link.
      headers: { get: () => null },
      meta: requestMeta(request.headers),
      webSession: await webSessionClaims(request.headers),
    });
    const url = new URL(request.url ?? "/", "http://portal.invalid");
    const input: Record<string, string> = Object.create(null);
    for (const [name, value] of url.searchParams) input[name] = value;
    await sendAuditExport(response, await openAuditExport(context, input));
  } catch (error) {
    if (response.headersSent) {
      response.destroy();
      return;
    }
    if (!(error instanceof TRPCError) || error.code === "INTERNAL_SERVER_ERROR") {
      console.error("[audit] export failed:", error);
      response.writeHead(500, { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" });
      response.end("Internal server error");
      return;
    }
    if (error.code === "UNAUTHORIZED") {
      response.writeHead(303, { location: `/login?next=${encodeURIComponent("/admin/audit")}` });
      response.end();
      return;
    }
    const problem = problemOf(error, null);
    response.writeHead(problem.status, { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" });
    response.end(problem.detail);
  }
}
