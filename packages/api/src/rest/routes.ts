// The REST API's routes. Each is declared on its procedure (`.meta({ rest: … })` in the routers), so
// a route cannot name a procedure that does not exist, and who may call it and how it can fail come
// from the procedure itself: its building block (signed in, capability), its input, and the refusals
// it declares. The handler (handler.ts) and the OpenAPI document (openapi.ts) are both made from
// the table collected here.
import type { TRPCError } from "@trpc/server";
import { roles, can, type Capability } from "../permissions";
import { appRouter } from "../root";
import type { ProcedureMeta } from "../trpc";
import { routerProcedures } from "../vendor/trpc-router";

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export const tags = [
  { name: "auth", description: "Sign-in, tokens, sessions and passwords" },
  { name: "users", description: "Your profile and avatar; public profiles" },
  { name: "admin", description: "User administration (administrators; moderators read and (de)activate users)" },
  { name: "climbs", description: "The climbs catalogue" },
  { name: "api-keys", description: "Personal API keys for scripts" },
  { name: "audit", description: "The audit trail" },
] as const;
export type Tag = (typeof tags)[number]["name"];

/**
 * How a route takes its input: `json` a JSON body (merged with the path parameters), `query` the
 * query string (parameters coerced to the types the procedure expects), `none` only the path, and
 * `multipart` / `binary` the two avatar routes, which the handler serves itself.
 */
export type InputKind = "json" | "optional-json" | "query" | "none" | "multipart" | "binary";

/** Who may call: anyone, anyone (the answer depends on the credential), or a signed-in caller. */
export type Access = "public" | "optional" | "signed-in";

/** What a procedure declares to be offered over REST. */
export type RestOperation = {
  method: HttpMethod;
  /** Under /api/v1, with `{name}` path parameters. */
  path: `/${string}`;
  tag: Tag;
  summary: string;
  description?: string;
  input: InputKind;
  /** 200 with the procedure's answer, 201 for a creation, 204 with no body. */
  status: 200 | 201 | 204;
  /** Query parameter names that differ from the procedure's input keys (REST name → input key). */
  rename?: Record<string, string>;
  /**
   * A file answer instead of JSON when the query has `parameter` (its values: `formats`, each
   * with its media type): the handler streams the export named `export`, whose filters and
   * permissions are the route's procedure's.
   */
  download?: { parameter: string; export: "audit"; formats: Record<string, string> };
};

/** A route as the handler and the document use it: the operation, its procedure, and what the procedure says. */
export type RestRoute = RestOperation & {
  /** The tRPC procedure called, e.g. `auth.login`; null for a route the handler serves itself. */
  procedure: string | null;
  /** The OpenAPI operation id: the procedure's path in camel case, or given for a route without one. */
  operationId: string;
  access: Access;
  /** The refusals beyond those the route's shape implies (validation, authentication, unknown id). */
  errors: TRPCError["code"][];
};

/** Whether some role lacks `capability`, so that calling it can be refused. */
const restricted = (capability: Capability | undefined) =>
  capability !== undefined && roles.some((role) => !can(role, capability));

/** Routes no procedure answers: the avatar image is served as bytes, straight from the database. */
const directRoutes: RestRoute[] = [
  {
    method: "GET",
    path: "/users/{id}/avatar",
    procedure: null,
    operationId: "usersAvatar",
    tag: "users",
    summary: "A user's avatar image (public), revalidated with its ETag",
    input: "binary",
    access: "public",
    status: 200,
    errors: [],
  },
];

export const restRoutes: RestRoute[] = [
  ...routerProcedures<ProcedureMeta>(appRouter).flatMap(({ path, meta }): RestRoute[] => {
    if (!meta?.rest) return [];
    const errors = new Set(meta.errors ?? []);
    if (restricted(meta.capability)) errors.add("FORBIDDEN");
    const operationId = path.replace(/\.(\w)/g, (_, letter: string) => letter.toUpperCase());
    return [{ ...meta.rest, procedure: path, operationId, access: meta.access ?? "public", errors: [...errors] }];
  }),
  ...directRoutes,
];

export const REST_PREFIX = "/api/v1";

/** The path parameters of a route, in order. */
export const pathParameters = (path: string) => [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!);
