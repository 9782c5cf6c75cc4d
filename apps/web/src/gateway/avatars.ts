// The portal's avatar routes, used by the profile page (session cookie) and the CLI (bearer):
// POST/DELETE /api/users/me/avatar change the caller's avatar, GET /api/users/{id}/avatar serves
// anyone's. They share the REST API's upload and download (packages/api/src/http/avatar.ts).
import type { IncomingMessage, ServerResponse } from "node:http";
import { TRPCError } from "@trpc/server";
import {
  createCaller,
  fail,
  HttpProblem,
  INTERNAL_PROBLEM,
  problemOf,
  requestLocale,
  receiveAvatar,
  sendAvatar,
  sendProblem,
} from "@mastoc/api";
import { requestContext } from "../identity/context";

const AVATAR_PATH = /^\/api\/users\/([^/]+)\/avatar$/;

/** The user id of an avatar route's path, or null when the path is not one. */
export function avatarRoute(pathname: string): string | null {
  return AVATAR_PATH.exec(pathname)?.[1] ?? null;
}

function sendJson(response: ServerResponse, status: number, body: unknown) {
  response.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
  response.end(JSON.stringify(body));
}

export async function serveAvatar(request: IncomingMessage, response: ServerResponse, rawId: string): Promise<void> {
  let authError: unknown = null;
  let locale = requestLocale(request);
  try {
    const id = decodeURIComponent(rawId);
    const method = request.method ?? "GET";
    const own = id === "me" && (method === "POST" || method === "DELETE");
    if (!own && method !== "GET" && method !== "HEAD") {
      request.resume();
      const allow = id === "me" ? "GET, HEAD, POST, DELETE" : "GET, HEAD";
      return fail(405, `${method} is not allowed here; use ${allow}`, { headers: { allow } });
    }
    if (!own) return await sendAvatar(request, response, id);
    const context = await requestContext(request);
    authError = context.authError;
    locale = context.locale;
    const caller = createCaller(context);
    if (method === "POST") return sendJson(response, 201, await receiveAvatar(request, caller));
    request.resume();
    sendJson(response, 200, await caller.users.deleteAvatar());
  } catch (error) {
    if (response.headersSent) {
      response.destroy();
      return;
    }
    if (error instanceof HttpProblem) return sendProblem(response, error.problem, locale);
    if (error instanceof TRPCError && error.code !== "INTERNAL_SERVER_ERROR") {
      return sendProblem(response, problemOf(error, { authError }, { locale }), locale);
    }
    console.error("[avatar]", error);
    sendProblem(response, INTERNAL_PROBLEM, locale);
  }
}
