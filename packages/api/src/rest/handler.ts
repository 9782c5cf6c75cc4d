// The REST facade over Node's HTTP server: each route of routes.ts calls its tRPC procedure
// in-process, with a context resolved from `Authorization: Bearer` or `X-API-Key` only (cookies
// are ignored here, so the facade has no CSRF surface). Errors are RFC 9457 problem details.
import type { IncomingMessage, ServerResponse } from "node:http";
import { TRPCError } from "@trpc/server";
import { getDatabase } from "@mastoc/db";
import { createContext, type Context } from "../context";
import { fail, HttpProblem, INTERNAL_PROBLEM, problemOf, sendProblem } from "../http/problem";
import { createCaller } from "../root";
import { openAuditExport } from "../routers/audit";
import { sendAuditExport } from "../services/audit-query";
import { AVATAR_MAX_BYTES, avatarDownload, multipartFile } from "../services/avatars";
import type { RequestMeta } from "../services/sessions";
import { queryCoercions } from "./openapi";
import { pathParameters, REST_PREFIX, restRoutes, type RestRoute } from "./routes";

/** The largest JSON body a route accepts. */
export const MAX_JSON_BYTES = 1024 * 1024;
/** Room for the multipart envelope around a 2 MB avatar. */
const MAX_MULTIPART_BYTES = AVATAR_MAX_BYTES + 64 * 1024;

/** The file exports a route can answer with (see `download` in routes.ts). */
const exports = { audit: openAuditExport } satisfies Record<NonNullable<RestRoute["download"]>["export"], unknown>;

type CompiledRoute = RestRoute & { pattern: RegExp; parameters: string[] };

const compiled: CompiledRoute[] = restRoutes.map((route) => ({
  ...route,
  parameters: pathParameters(route.path),
  pattern: new RegExp(`^${REST_PREFIX}${route.path.replace(/\{\w+\}/g, "([^/]+)")}$`),
}));

function send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  response.writeHead(status, {
    "cache-control": "no-store",
    ...(body === undefined ? {} : { "content-type": "application/json; charset=utf-8" }),
    ...headers,
  });
  response.end(body === undefined ? undefined : JSON.stringify(body));
}

/** Reads the body up to `limit` bytes; past it, the rest is drained unread and the request refused with 413. */
async function readBody(request: IncomingMessage, limit: number, tooLarge: string): Promise<Buffer> {
  const declared = Number(request.headers["content-length"] ?? 0);
  if (declared > limit) {
    request.resume();
    fail(413, tooLarge);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.byteLength;
    if (size > limit) {
      request.resume();
      fail(413, tooLarge);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

const isJson = (contentType: string | undefined) =>
  /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(contentType?.trim() ?? "");

/** The JSON body of a request, or undefined when it has none. */
async function jsonBody(request: IncomingMessage): Promise<unknown> {
  const body = await readBody(request, MAX_JSON_BYTES, "The body must be at most 1 MB");
  if (body.byteLength === 0) return undefined;
  if (!isJson(request.headers["content-type"])) {
    fail(400, "Send the body as JSON, with `Content-Type: application/json`");
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(body);
  } catch {
    return fail(400, "The body is not valid UTF-8");
  }
  try {
    return JSON.parse(text);
  } catch {
    return fail(400, "The body is not valid JSON");
  }
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The procedure's input from the query string: renamed, and coerced where the procedure expects a number or boolean. */
function queryInput(route: CompiledRoute, search: URLSearchParams): Record<string, unknown> {
  const coercions = queryCoercions(route.procedure);
  // No prototype: a parameter named `__proto__` becomes a key like any other (and the input guard refuses it).
  const input: Record<string, unknown> = Object.create(null);
  for (const name of new Set(search.keys())) {
    const key = route.rename && Object.hasOwn(route.rename, name) ? route.rename[name]! : name;
    const values = search.getAll(name);
    const coerce = Object.hasOwn(coercions, key) ? coercions[key] : undefined;
    const typed = values.map((value) => {
      if (coerce === "number" && /^-?\d+(?:\.\d+)?$/.test(value)) return Number(value);
      if (coerce === "boolean" && (value === "true" || value === "false")) return value === "true";
      return value;
    });
    input[key] = typed.length === 1 ? typed[0] : typed;
  }
  return input;
}

async function routeInput(route: CompiledRoute, request: IncomingMessage, url: URL, params: Record<string, string>) {
  const hasParams = route.parameters.length > 0;
  switch (route.input) {
    case "query":
      return { ...queryInput(route, url.searchParams), ...params };
    case "none":
      request.resume();
      return hasParams ? params : undefined;
    case "json":
    case "optional-json": {
      const body = await jsonBody(request);
      if (!hasParams) return body;
      if (body === undefined) return params;
      if (!isPlainObject(body)) return fail(400, "The body must be a JSON object");
      return { ...body, ...params };
    }
    default:
      throw new Error(`route ${route.path} has no generic input`);
  }
}

type Caller = ReturnType<typeof createCaller>;

function procedureOf(caller: Caller, path: string): (input: unknown) => Promise<unknown> {
  // `auth.twoFactor.setup`: the caller nests its procedures as the router nests them.
  return path.split(".").reduce<unknown>((node, segment) => (node as Record<string, unknown>)[segment], caller) as (
    input: unknown,
  ) => Promise<unknown>;
}

async function uploadAvatar(request: IncomingMessage, caller: Caller): Promise<unknown> {
  // Who is calling is settled before the body is read: an anonymous upload is refused unread.
  await caller.auth.me();
  const contentType = request.headers["content-type"] ?? "";
  if (!contentType.toLowerCase().startsWith("multipart/form-data")) {
    request.resume();
    fail(415, "Send the image as multipart/form-data in a field named `file`");
  }
  const body = await readBody(request, MAX_MULTIPART_BYTES, "The image must be at most 2 MB");
  const file = await multipartFile(contentType, body);
  if ("error" in file) return fail(400, file.error);
  return caller.users.uploadAvatar({ base64: file.bytes.toString("base64") });
}

export type RestHandlerOptions = {
  /** The client's address and user agent, as the server's proxy settings determine them. */
  requestMeta: (request: IncomingMessage) => RequestMeta;
};

/**
 * Answers a request under /api/v1. The caller is resolved from `Authorization: Bearer` (an access
 * token or an `mk_` API key) or `X-API-Key`; a cookie never authenticates here.
 */
export function createRestHandler({ requestMeta }: RestHandlerOptions) {
  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    let context: Context | null = null;
    try {
      const url = new URL(request.url ?? "/", "http://rest.invalid");
      const matches = compiled
        .map((route) => ({ route, match: route.pattern.exec(url.pathname) }))
        .filter((candidate) => candidate.match);
      if (matches.length === 0) return fail(404, `No route ${url.pathname}`);
      const found = matches.find(({ route }) => route.method === request.method);
      if (!found) {
        const allow = matches.map(({ route }) => route.method).join(", ");
        return fail(405, `${request.method} is not allowed here; use ${allow}`, { headers: { allow } });
      }
      const { route, match } = found;
      const params = Object.fromEntries(
        route.parameters.map((name, index) => [name, decodeURIComponent(match![index + 1]!)]),
      );

      if (route.input === "binary") {
        request.resume();
        const answer = await avatarDownload(getDatabase().db, params.id!, request.headers["if-none-match"] ?? null);
        if (answer.status === 404) return fail(404, "This user has no avatar", { code: "NOT_FOUND" });
        response.writeHead(answer.status, answer.headers);
        response.end(answer.status === 200 ? answer.body : undefined);
        return;
      }

      context = await createContext({
        headers: {
          get: (name) => {
            const lower = name.toLowerCase();
            if (lower !== "authorization" && lower !== "x-api-key") return null;
            const value = request.headers[lower];
            return typeof value === "string" ? value : null;
          },
        },
        meta: requestMeta(request),
        webSession: null,
      });
      if (route.download && url.searchParams.has(route.download.parameter)) {
        const open = exports[route.download.export];
        return await sendAuditExport(response, await open(context, queryInput(route, url.searchParams)));
      }
      const caller = createCaller(context);
      const output =
        route.input === "multipart"
          ? await uploadAvatar(request, caller)
          : await procedureOf(caller, route.procedure)(await routeInput(route, request, url, params));
      send(response, route.status, route.status === 204 ? undefined : output);
    } catch (error) {
      if (response.headersSent) {
        console.error(`[rest] ${request.method} ${request.url}:`, error);
        response.destroy();
        return;
      }
      if (error instanceof HttpProblem) return sendProblem(response, error.problem);
      if (error instanceof TRPCError) {
        if (error.code === "INTERNAL_SERVER_ERROR")
          console.error(`[rest] ${request.method} ${request.url}:`, error.cause ?? error);
        return sendProblem(response, problemOf(error, context));
      }
      console.error(`[rest] ${request.method} ${request.url}:`, error);
      sendProblem(response, INTERNAL_PROBLEM);
    }
  };
}
