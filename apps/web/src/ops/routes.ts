// The route template of a request ("/api/v1/users/{id}", "/api/trpc/auth.me", "/admin/audit"):
// what metrics and logs name a request by. Templates come from what the portal actually serves
// (the tRPC procedures, the REST document, Next's routes manifest), so their number is bounded
// whatever clients send: anything else is "{unmatched}", and no user id or token in a path ever
// becomes a label.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { appRouter, openApiDocument, REST_PREFIX } from "@mastoc/api";
import { routerProcedures } from "@mastoc/api/trpc-router";

export const UNMATCHED = "{unmatched}";
const TRPC_PREFIX = "/api/trpc/";

type Pattern = { template: string; pattern: RegExp };

/** Own endpoints of the gateway, named as they are. */
const OWN_PATHS = new Set(["/healthz", "/readyz", "/metrics", "/docs", "/api/openapi.json", "/admin/audit/export"]);

function restPatterns(): Pattern[] {
  return Object.keys(openApiDocument().paths ?? {}).map((path) => ({
    template: `${REST_PREFIX}${path}`,
    pattern: new RegExp(`^${REST_PREFIX}${path.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{\w+\}/g, "[^/]+")}/?$`),
  }));
}

/** Next's pages and route handlers, from the production build's routes manifest (none in development). */
function nextPatterns(dir: string): Pattern[] {
  try {
    const manifest = JSON.parse(readFileSync(join(dir, ".next", "routes-manifest.json"), "utf8")) as {
      staticRoutes?: { page: string; regex: string }[];
      dynamicRoutes?: { page: string; regex: string }[];
    };
    return [...(manifest.staticRoutes ?? []), ...(manifest.dynamicRoutes ?? [])].map(({ page, regex }) => ({
      template: page,
      pattern: new RegExp(regex),
    }));
  } catch {
    return [];
  }
}

export type RouteNamer = (url: string | undefined) => string;

/** Makes the function that names requests; `dir` is the web app's folder (where `.next` is). */
export function createRouteNamer(dir: string): RouteNamer {
  const procedures = new Set(routerProcedures(appRouter).map((procedure) => procedure.path));
  const rest = restPatterns();
  const pages = nextPatterns(dir);
  const match = (patterns: Pattern[], path: string) => patterns.find(({ pattern }) => pattern.test(path))?.template;
  return (url) => {
    const raw = url ?? "/";
    const query = raw.indexOf("?");
    const path = query === -1 ? raw : raw.slice(0, query);
    if (path.startsWith(TRPC_PREFIX)) {
      const name = path.slice(TRPC_PREFIX.length);
      if (procedures.has(name)) return path;
      return name.includes(",") ? `${TRPC_PREFIX}{batch}` : `${TRPC_PREFIX}${UNMATCHED}`;
    }
    if (OWN_PATHS.has(path)) return path;
    if (path.startsWith(`${REST_PREFIX}/`)) return match(rest, path) ?? `${REST_PREFIX}/${UNMATCHED}`;
    if (path.startsWith("/_next/")) return "/_next/*";
    if (path.startsWith("/docs/")) return "/docs/*";
    return match(pages, path) ?? UNMATCHED;
  };
}
