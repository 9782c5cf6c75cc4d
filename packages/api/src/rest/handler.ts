// The REST facade over Node's HTTP server: each route of routes.ts calls its tRPC procedure
// in-process, with a context resolved from `Authorization: Bearer` or `X-API-Key` only (cookies
// are ignored here, so the facade has no CSRF surface). Errors are RFC 9457 problem details.
import type { IncomingMessage, ServerResponse } from "node:http";
import { TRPCError } from "@trpc/server";
import { getConfig } from "../config";
import { createContext, type Context } from "../context";
import { receiveAvatar, sendAvatar } from "../http/avatar";
import { jsonBody } from "../http/body";
import { mapDatabaseError, said, type Reader } from "../errors";
import { localeFromCookie, resolveLocale, type Locale } from "../i18n";
import { fail, HttpProblem, INTERNAL_PROBLEM, problemOf, sendProblem } from "../http/problem";
import { createCaller } from "../root";
import { openAuditExport } from "../routers/audit";
import { sendAuditExport } from "../services/audit-query";
import type { RequestMeta } from "../services/sessions";
import { queryCoercions } from "./openapi";
import { pathParameters, REST_PREFIX, restRoutes, type RestRoute } from "./routes";

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

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The procedure's input from the query string: renamed, and coerced where the procedure expects a number or boolean. */
function queryInput(route: CompiledRoute, search: URLSearchParams): Record<string, unknown> {
  const coercions = queryCoercions(route.procedure!);
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
      if (!isPlainObject(body)) return fail(400, said("http.notObject"));
      return { ...body, ...params };
    }
    default:
      throw new Error(`route ${route.path} has no generic input`);
  }
}

type Caller = ReturnType<typeof createCaller>;

/** The request headers createContext reads here: credentials, and what chooses the language. */
const FORWARDED_HEADERS = new Set(["authorization", "x-api-key", "accept-language", "cookie"]);

/** A request's language before its caller is known: the switcher's cookie, Accept-Language, the default. */
export function requestLocale(request: IncomingMessage): Locale {
  return resolveLocale({
    cookie: localeFromCookie(request.headers.cookie),
    acceptLanguage: request.headers["accept-language"],
    fallback: getConfig().DEFAULT_LOCALE,
  });
}

function procedureOf(caller: Caller, path: string): (input: unknown) => Promise<unknown> {
  // `auth.twoFactor.setup`: the caller nests its procedures as the router nests them.
  return path.split(".").reduce<unknown>((node, segment) => (node as Record<string, unknown>)[segment], caller) as (
    input: unknown,
  ) => Promise<unknown>;
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
    // Problems name fields as the client sent them: a renamed query parameter by its REST name.
    let restName = (key: string) => key;
    // Problems speak the caller's language: before the caller is known, the cookie's or Accept-Language's.
    const reader: Reader = { locale: requestLocale(request) };
    try {
      const url = new URL(request.url ?? "/", "http://rest.invalid");
      const matches = compiled
        .map((route) => ({ route, match: route.pattern.exec(url.pathname) }))
        .filter((candidate) => candidate.match);
      if (matches.length === 0) return fail(404, said("notFound.route", { path: url.pathname }));
      // HEAD is answered wherever GET is, as GET without the body (Node's server drops it).
      const method = request.method === "HEAD" ? "GET" : request.method;
      const found = matches.find(({ route }) => route.method === method);
      if (!found) {
        const allow = matches
          .flatMap(({ route }) => (route.method === "GET" ? ["GET", "HEAD"] : [route.method]))
          .join(", ");
        return fail(405, said("http.methodNotAllowed", { method: request.method ?? "", allow }), {
          headers: { allow },
        });
      }
      const { route, match } = found;
      const restNames = Object.fromEntries(Object.entries(route.rename ?? {}).map(([rest, key]) => [key, rest]));
      restName = (key) => restNames[key] ?? key;
      const params = Object.fromEntries(
        route.parameters.map((name, index) => [name, decodeURIComponent(match![index + 1]!)]),
      );

      if (route.input === "binary") {
        return await sendAvatar(request, response, params.id!);
      }

      context = await createContext({
        headers: {
          get: (name) => {
            const lower = name.toLowerCase();
            // The cookie only for the language switcher's choice: a session cookie never authenticates here.
            if (!FORWARDED_HEADERS.has(lower)) return null;
            const value = request.headers[lower];
            return typeof value === "string" ? value : null;
          },
        },
        meta: requestMeta(request),
        webSession: null,
      });
      reader.locale = context.locale;
      if (route.download && url.searchParams.has(route.download.parameter)) {
        const open = exports[route.download.export];
        // A file holds every matching entry: the list's paging parameters do not apply, and are ignored.
        const filters = new URLSearchParams(url.searchParams);
        for (const paging of ["cursor", "limit"]) filters.delete(paging);
        return await sendAuditExport(response, await open(context, queryInput(route, filters)));
      }
      const caller = createCaller(context);
      let output: unknown;
      if (route.input === "multipart") output = await receiveAvatar(request, caller);
      else {
        reader.input = await routeInput(route, request, url, params);
        output = await procedureOf(caller, route.procedure!)(reader.input);
      }
      send(response, route.status, route.status === 204 ? undefined : output);
    } catch (error) {
      if (response.headersSent) {
        console.error(`[rest] ${request.method} ${request.url}:`, error);
        response.destroy();
        return;
      }
      if (error instanceof HttpProblem) return sendProblem(response, error.problem, reader.locale);
      if (error instanceof TRPCError) {
        if (error.code === "INTERNAL_SERVER_ERROR")
          console.error(`[rest] ${request.method} ${request.url}:`, error.cause ?? error);
        return sendProblem(response, problemOf(error, context, reader, restName), reader.locale);
      }
      const mapped = mapDatabaseError(error);
      if (mapped) return sendProblem(response, problemOf(mapped, context, reader, restName), reader.locale);
      console.error(`[rest] ${request.method} ${request.url}:`, error);
      sendProblem(response, INTERNAL_PROBLEM, reader.locale);
    }
  };
}
