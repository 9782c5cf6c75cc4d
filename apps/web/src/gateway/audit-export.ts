// The portal's audit export (`/admin/audit/export?format=csv|ndjson&…filters`): the Export links
// of /admin/audit, authenticated by the browser's session cookie. The REST facade serves the same
// export to tokens and API keys (`GET /api/v1/audit?format=…`); both stream from one service.
import type { IncomingMessage, ServerResponse } from "node:http";
import { TRPCError } from "@trpc/server";
import {
  createContext,
  INTERNAL_PROBLEM,
  mapDatabaseError,
  openAuditExport,
  problemOf,
  requestLocale,
  said,
  sendAuditExport,
  sendProblem,
} from "@mastoc/api";
import { requestMeta, webSessionClaims } from "../identity/request";

export const AUDIT_EXPORT_PATH = "/admin/audit/export";

export async function serveAuditExport(request: IncomingMessage, response: ServerResponse): Promise<void> {
  request.resume();
  const locale = requestLocale(request);
  try {
    if (request.method !== "GET") {
      sendProblem(
        response,
        {
          status: 405,
          detail: said("http.methodNotAllowed", { method: request.method ?? "", allow: "GET" }),
          headers: { allow: "GET" },
        },
        locale,
      );
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
    const mapped = error instanceof TRPCError ? error : mapDatabaseError(error);
    if (!mapped || mapped.code === "INTERNAL_SERVER_ERROR") {
      console.error("[audit] export failed:", error);
      sendProblem(response, INTERNAL_PROBLEM, locale);
      return;
    }
    if (mapped.code === "UNAUTHORIZED") {
      response.writeHead(303, { location: `/login?next=${encodeURIComponent("/admin/audit")}` });
      response.end();
      return;
    }
    sendProblem(response, problemOf(mapped, null, { locale }), locale);
  }
}
