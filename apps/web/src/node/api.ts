// The API's serving path: tRPC's own Node adapter, answering /api/trpc before Next sees the
// request. Identity is resolved by the same createContext as everywhere (bearer token, API key, or
// the NextAuth cookie decoded here), so nothing about a procedure changes with the transport.
import type { IncomingMessage, ServerResponse } from "node:http";
import { createHTTPHandler } from "@trpc/server/adapters/standalone";
import { appRouter, createContext, MAX_BATCH_SIZE, retryAfterOf } from "@mastoc/api";
import { header, requestMeta, webSessionClaims } from "../server/request";

export const API_PREFIX = "/api/trpc/";
/** The largest request body a procedure accepts (avatars have their own route and limit). */
const MAX_BODY_BYTES = 1024 * 1024;

export function createApiHandler(): (request: IncomingMessage, response: ServerResponse) => void {
  return createHTTPHandler({
    basePath: API_PREFIX,
    router: appRouter,
    maxBatchSize: MAX_BATCH_SIZE,
    maxBodySize: MAX_BODY_BYTES,
    createContext: async ({ req, info }) => {
      const headers = { get: (name: string) => header(req.headers, name) };
      return createContext({
        headers,
        meta: requestMeta(req.headers),
        // Cookie sessions are decoded only when no bearer credential or API key is presented.
        webSession:
          headers.get("authorization") || headers.get("x-api-key") ? null : await webSessionClaims(req.headers),
        batchSize: info.calls.length,
      });
    },
    responseMeta({ errors }) {
      const retryAfter = errors.map(retryAfterOf).find((seconds) => seconds !== null);
      const headers: Record<string, string> = { "cache-control": "no-store" };
      if (retryAfter) headers["retry-after"] = String(retryAfter);
      return { headers };
    },
    onError({ error, path }) {
      if (error.code === "INTERNAL_SERVER_ERROR") console.error(`[trpc] ${path ?? "?"}:`, error.cause ?? error);
    },
  });
}
