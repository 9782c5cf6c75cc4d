// The REST facade's routes: each one names the tRPC procedure it calls, so every rule (validation,
// permissions, rate limits, audit) lives in one place. The handler (handler.ts) and the OpenAPI
// document (openapi.ts) are both generated from this table.
import type { TRPCError } from "@trpc/server";

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

export type RestRoute = {
  method: HttpMethod;
  /** Under /api/v1, with `{name}` path parameters. */
  path: `/${string}`;
  /** The tRPC procedure called, e.g. `auth.login`. */
  procedure: string;
  tag: Tag;
  summary: string;
  description?: string;
  input: InputKind;
  access: Access;
  /** 200 with the procedure's answer, 201 for a creation, 204 with no body. */
  status: 200 | 201 | 204;
  /** Query parameter names that differ from the procedure's input keys (REST name → input key). */
  rename?: Record<string, string>;
  /** Errors beyond the ones the route's shape implies (validation, authentication, unknown id). */
  errors?: TRPCError["code"][];
};

const route = (definition: RestRoute) => definition;

export const restRoutes: RestRoute[] = [
  // auth
  route({
    method: "POST",
    path: "/auth/register",
    procedure: "auth.register",
    tag: "auth",
    summary: "Create an account",
    description:
      "Then sign in with `POST /auth/login`. The password must be strong and not contain the email or username.",
    input: "json",
    access: "public",
    status: 201,
    errors: ["CONFLICT", "TOO_MANY_REQUESTS"],
  }),
  route({
    method: "POST",
    path: "/auth/login",
    procedure: "auth.login",
    tag: "auth",
    summary: "Sign in with email (or username) and password",
    description:
      "Answers an OAuth 2 style token pair. Failures are deliberately generic; repeated failures lock the account for a while.",
    input: "json",
    access: "public",
    status: 200,
    errors: ["UNAUTHORIZED", "TOO_MANY_REQUESTS"],
  }),
  route({
    method: "POST",
    path: "/auth/refresh",
    procedure: "auth.refresh",
    tag: "auth",
    summary: "Exchange a refresh token for a new token pair",
    description: "Refresh tokens are single use: presenting one twice (after a short grace period) ends the session.",
    input: "json",
    access: "public",
    status: 200,
    errors: ["UNAUTHORIZED"],
  }),
  route({
    method: "POST",
    path: "/auth/logout",
    procedure: "auth.logout",
    tag: "auth",
    summary: "End the caller's session (or the session of the refresh token given)",
    input: "optional-json",
    access: "optional",
    status: 204,
    errors: ["UNAUTHORIZED"],
  }),
  route({
    method: "POST",
    path: "/auth/logout-all",
    procedure: "auth.logoutAll",
    tag: "auth",
    summary: "Sign out everywhere",
    input: "none",
    access: "signed-in",
    status: 200,
  }),
  route({
    method: "GET",
    path: "/auth/me",
    procedure: "auth.me",
    tag: "auth",
    summary: "The caller's own account and permissions",
    input: "none",
    access: "signed-in",
    status: 200,
  }),
  route({
    method: "GET",
    path: "/auth/status",
    procedure: "auth.status",
    tag: "auth",
    summary: "Whether the request is authenticated, and as whom",
    input: "none",
    access: "optional",
    status: 200,
  }),
  route({
    method: "GET",
    path: "/auth/sessions",
    procedure: "auth.sessions",
    tag: "auth",
    summary: "The caller's active sessions",
    input: "none",
    access: "signed-in",
    status: 200,
  }),
  route({
    method: "DELETE",
    path: "/auth/sessions/{id}",
    procedure: "auth.revokeSession",
    tag: "auth",
    summary: "End one of the caller's sessions",
    input: "none",
    access: "signed-in",
    status: 204,
  }),
  route({
    method: "POST",
    path: "/auth/change-password",
    procedure: "auth.changePassword",
    tag: "auth",
    summary: "Change the caller's password",
    description: "Other sessions are signed out; the current one stays.",
    input: "json",
    access: "signed-in",
    status: 200,
    errors: ["TOO_MANY_REQUESTS"],
  }),
  route({
    method: "POST",
    path: "/auth/reset-password",
    procedure: "auth.requestPasswordReset",
    tag: "auth",
    summary: "Mail a password reset link",
    description: "Answers the same whether or not an account has this email.",
    input: "json",
    access: "public",
    status: 200,
    errors: ["TOO_MANY_REQUESTS"],
  }),
  route({
    method: "POST",
    path: "/auth/reset-password/confirm",
    procedure: "auth.confirmPasswordReset",
    tag: "auth",
    summary: "Choose a new password with the token of a reset link",
    input: "json",
    access: "public",
    status: 200,
  }),
  route({
    method: "POST",
    path: "/auth/password-strength",
    procedure: "auth.passwordStrength",
    tag: "auth",
    summary: "How strong a password is (no account is looked up)",
    input: "json",
    access: "public",
    status: 200,
  }),
  // users
  route({
    method: "GET",
    path: "/users/me",
    procedure: "users.me",
    tag: "users",
    summary: "The caller's own account and permissions",
    input: "none",
    access: "signed-in",
    status: 200,
  }),
  route({
    method: "PATCH",
    path: "/users/me",
    procedure: "users.updateMe",
    tag: "users",
    summary: "Change the caller's name or username",
    input: "json",
    access: "signed-in",
    status: 200,
    errors: ["CONFLICT"],
  }),
  route({
    method: "DELETE",
    path: "/users/me",
    procedure: "users.deleteMe",
    tag: "users",
    summary: "Delete the caller's account (the password confirms it)",
    input: "json",
    access: "signed-in",
    status: 204,
    errors: ["TOO_MANY_REQUESTS"],
  }),
  route({
    method: "POST",
    path: "/users/me/avatar",
    procedure: "users.uploadAvatar",
    tag: "users",
    summary: "Upload the caller's avatar",
    description:
      "A PNG, JPEG, WebP or GIF image of at most 2 MB in the multipart field `file`; it is stored re-encoded as a 256×256 WebP.",
    input: "multipart",
    access: "signed-in",
    status: 201,
    errors: ["PAYLOAD_TOO_LARGE", "UNSUPPORTED_MEDIA_TYPE"],
  }),
  route({
    method: "DELETE",
    path: "/users/me/avatar",
    procedure: "users.deleteAvatar",
    tag: "users",
    summary: "Remove the caller's avatar",
    input: "none",
    access: "signed-in",
    status: 204,
  }),
  route({
    method: "GET",
    path: "/users/{id}",
    procedure: "users.byId",
    tag: "users",
    summary: "A user's public profile (never the email)",
    input: "none",
    access: "signed-in",
    status: 200,
  }),
  route({
    method: "GET",
    path: "/users/{id}/avatar",
    procedure: "users.avatar",
    tag: "users",
    summary: "A user's avatar image (public), revalidated with its ETag",
    input: "binary",
    access: "public",
    status: 200,
  }),
  // admin
  route({
    method: "GET",
    path: "/admin/users",
    procedure: "admin.listUsers",
    tag: "admin",
    summary: "Search and list users",
    input: "query",
    access: "signed-in",
    status: 200,
    rename: { search: "query" },
    errors: ["FORBIDDEN"],
  }),
  route({
    method: "GET",
    path: "/admin/users/{id}",
    procedure: "admin.getUser",
    tag: "admin",
    summary: "One user's account, with their active session count",
    input: "none",
    access: "signed-in",
    status: 200,
    errors: ["FORBIDDEN"],
  }),
  route({
    method: "PATCH",
    path: "/admin/users/{id}",
    procedure: "admin.updateUser",
    tag: "admin",
    summary: "Change a user's email, username or names",
    input: "json",
    access: "signed-in",
    status: 200,
    errors: ["FORBIDDEN", "CONFLICT"],
  }),
  route({
    method: "DELETE",
    path: "/admin/users/{id}",
    procedure: "admin.deleteUser",
    tag: "admin",
    summary: "Delete a user (never the last administrator)",
    input: "none",
    access: "signed-in",
    status: 204,
    errors: ["FORBIDDEN", "CONFLICT"],
  }),
  route({
    method: "PUT",
    path: "/admin/users/{id}/role",
    procedure: "admin.setRole",
    tag: "admin",
    summary: "Set a user's role (never demoting the last administrator)",
    input: "json",
    access: "signed-in",
    status: 200,
    errors: ["FORBIDDEN", "CONFLICT"],
  }),
  route({
    method: "PUT",
    path: "/admin/users/{id}/activate",
    procedure: "admin.activate",
    tag: "admin",
    summary: "Reactivate an account",
    input: "none",
    access: "signed-in",
    status: 200,
    errors: ["FORBIDDEN"],
  }),
  route({
    method: "PUT",
    path: "/admin/users/{id}/deactivate",
    procedure: "admin.deactivate",
    tag: "admin",
    summary: "Deactivate an account: its sessions end at once",
    input: "none",
    access: "signed-in",
    status: 200,
    errors: ["FORBIDDEN", "CONFLICT"],
  }),
  route({
    method: "POST",
    path: "/admin/users/{id}/unlock",
    procedure: "admin.unlock",
    tag: "admin",
    summary: "Lift a lock after repeated failed sign-ins",
    input: "none",
    access: "signed-in",
    status: 200,
    errors: ["FORBIDDEN"],
  }),
  route({
    method: "POST",
    path: "/admin/users/{id}/verify-email",
    procedure: "admin.verifyEmail",
    tag: "admin",
    summary: "Mark a user's email as verified",
    input: "none",
    access: "signed-in",
    status: 200,
    errors: ["FORBIDDEN"],
  }),
  // climbs
  route({
    method: "GET",
    path: "/climbs",
    procedure: "climbs.list",
    tag: "climbs",
    summary: "Search and list climbs",
    input: "query",
    access: "signed-in",
    status: 200,
    rename: { search: "query" },
  }),
  route({
    method: "POST",
    path: "/climbs",
    procedure: "climbs.create",
    tag: "climbs",
    summary: "Add a climb",
    input: "json",
    access: "signed-in",
    status: 201,
    errors: ["FORBIDDEN"],
  }),
  route({
    method: "GET",
    path: "/climbs/{id}",
    procedure: "climbs.byId",
    tag: "climbs",
    summary: "One climb",
    input: "none",
    access: "signed-in",
    status: 200,
  }),
  route({
    method: "PATCH",
    path: "/climbs/{id}",
    procedure: "climbs.update",
    tag: "climbs",
    summary: "Change a climb (its creator, moderators and administrators)",
    input: "json",
    access: "signed-in",
    status: 200,
    errors: ["FORBIDDEN"],
  }),
  route({
    method: "DELETE",
    path: "/climbs/{id}",
    procedure: "climbs.delete",
    tag: "climbs",
    summary: "Delete a climb (its creator, moderators and administrators)",
    input: "none",
    access: "signed-in",
    status: 204,
    errors: ["FORBIDDEN"],
  }),
  // api keys
  route({
    method: "GET",
    path: "/api-keys",
    procedure: "apiKeys.list",
    tag: "api-keys",
    summary: "The caller's API keys (administrators may name another user)",
    description: "Keys are managed with a signed-in session or access token, never with an API key.",
    input: "query",
    access: "signed-in",
    status: 200,
    errors: ["FORBIDDEN"],
  }),
  route({
    method: "POST",
    path: "/api-keys",
    procedure: "apiKeys.create",
    tag: "api-keys",
    summary: "Create an API key (shown in this response only)",
    input: "json",
    access: "signed-in",
    status: 201,
    errors: ["FORBIDDEN", "CONFLICT"],
  }),
  route({
    method: "DELETE",
    path: "/api-keys/{id}",
    procedure: "apiKeys.revoke",
    tag: "api-keys",
    summary: "Revoke an API key",
    input: "none",
    access: "signed-in",
    status: 204,
    errors: ["FORBIDDEN"],
  }),
  // audit
  route({
    method: "GET",
    path: "/audit",
    procedure: "audit.list",
    tag: "audit",
    summary: "The audit trail, newest first (moderators: climbs only)",
    description: "Cursor pagination: pass the answer's `nextCursor` as `cursor` for the next page.",
    input: "query",
    access: "signed-in",
    status: 200,
    errors: ["FORBIDDEN"],
  }),
];

export const REST_PREFIX = "/api/v1";

/** The path parameters of a route, in order. */
export const pathParameters = (path: string) => [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!);
