// The API's serving path: tRPC's own Node adapter, answering /api/trpc before Next sees the
// request. Identity is resolved by the same createContext as everywhere (bearer token, API key, or
// the NextAuth cookie decoded here), so nothing about a procedure changes with the transport.
import type { IncomingMessage, ServerResponse } from "node:http";
import { createHTTPHandler } from "@trpc/server/adapters/standalone";
import {
  callTRPCProcedure,
  getErrorShape,
  getTRPCErrorFromUnknown,
  transformTRPCResponse,
  type TRPCError,
} from "@trpc/server";
import { getHTTPStatusCode } from "@trpc/server/http";
import { appRouter, MAX_BATCH_SIZE, retryAfterOf, type Context } from "@mastoc/api";
import { isQueryPath, routerConfig } from "@mastoc/api/trpc-router";
import { requestContext } from "../identity/context";

export const API_PREFIX = "/api/trpc/";
/** The largest request body a procedure accepts (avatars have their own route and limit). */
const MAX_BODY_BYTES = 1024 * 1024;

/** The router's error formatter and transformer, which tRPC's own answers go through (read once, at start). */
const config = routerConfig(appRouter);

/** The headers of every answer: as tRPC's adapter sends them, plus the Retry-After of a refusal. */
function answerHeaders(errors: TRPCError[]): Record<string, string> {
  const headers: Record<string, string> = {
    vary: "trpc-accept, accept",
    "content-type": "application/json",
    "cache-control": "no-store",
  };
  const retryAfter = errors.map(retryAfterOf).find((seconds) => seconds !== null);
  if (retryAfter) headers["retry-after"] = String(retryAfter);
  return headers;
}

const contextOf = (request: IncomingMessage, batchSize: number): Promise<Context> => requestContext(request, batchSize);

const logInternal = (error: TRPCError, path: string | undefined) => {
  if (error.code === "INTERNAL_SERVER_ERROR") console.error(`[trpc] ${path ?? "?"}:`, error.cause ?? error);
};

/**
 * The query without input that most calls are (`auth.me`, `auth.status`, lists of one's own
 * sessions, keys and passkeys), answered directly: the same procedure called through tRPC's
 * `callTRPCProcedure`, answered with tRPC's own error shape, transformer and status, without the
 * Fetch Request and Response tRPC's Node adapter builds around every call (which halves the
 * requests per second of an authenticated `auth.me`; see ARCHITECTURE.md, Upgrading). Anything
 * else (batches, inputs, mutations, streaming, unknown paths) is left to that adapter.
 */
async function answerPlainQuery(request: IncomingMessage, response: ServerResponse): Promise<boolean> {
  const url = request.url!;
  if (request.method !== "GET" || url.includes("?") || request.headers["trpc-accept"]) return false;
  const path = url.slice(API_PREFIX.length);
  if (!isQueryPath(appRouter, path)) return false;
  const accept = request.headers.accept;
  if (accept && accept.includes("application/jsonl")) return false;
  request.resume();
  let ctx: Context | undefined;
  let body: { result: { data: unknown } } | { error: ReturnType<typeof getErrorShape> };
  let errors: TRPCError[] = [];
  try {
    ctx = await contextOf(request, 1);
    body = {
      result: {
        data: await callTRPCProcedure({
          router: appRouter,
          path,
          getRawInput: async () => undefined,
          ctx,
          type: "query",
          signal: undefined,
          batchIndex: 0,
        }),
      },
    };
  } catch (cause) {
    const error = getTRPCErrorFromUnknown(cause);
    logInternal(error, path);
    errors = [error];
    body = { error: getErrorShape({ config, ctx, error, input: undefined, path, type: "query" }) };
  }
  const text = JSON.stringify(transformTRPCResponse(config, body));
  response.writeHead(getHTTPStatusCode(body), { ...answerHeaders(errors), "content-length": Buffer.byteLength(text) });
  response.end(text);
  return true;
}

export function createApiHandler(): (request: IncomingMessage, response: ServerResponse) => void {
  const trpc = createHTTPHandler({
    basePath: API_PREFIX,
    router: appRouter,
    maxBatchSize: MAX_BATCH_SIZE,
    maxBodySize: MAX_BODY_BYTES,
    createContext: ({ req, info }) => contextOf(req, info.calls.length),
    responseMeta({ errors }) {
      const { vary: _vary, "content-type": _type, ...headers } = answerHeaders(errors);
      return { headers };
    },
    onError({ error, path }) {
      logInternal(error, path);
    },
  });
  return (request, response) => {
    answerPlainQuery(request, response).then(
      (answered) => answered || trpc(request, response),
      (error: unknown) => {
        console.error("[trpc]", error);
        response.destroy();
      },
    );
  };
}
