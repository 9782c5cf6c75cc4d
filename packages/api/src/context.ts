import { getDatabase, type Db } from "@mastoc/db";
import { getConfig, type Config } from "./config";
import { mapDatabaseError, said, type Text } from "./errors";
import { localeFromCookie, resolveLocale, type Locale } from "./i18n";
import type { RequestTrace } from "./observability";
import { resolveApiKey } from "./services/api-keys";
import {
  resolveOidcAccessToken,
  resolveSession,
  type RequestMeta,
  type SessionClaims,
  type SessionKind,
} from "./services/sessions";
import { verifyAccessToken } from "./services/tokens";
import type { contextUserSelect } from "./selects";
import type { Prisma } from "@mastoc/db";

export type ContextUser = Prisma.UserGetPayload<{ select: typeof contextUserSelect }>;

/** Request headers as any HTTP layer can offer them (a fetch `Headers`, or a getter over Node's headers). */
export type HeaderReader = { get(name: string): string | null };

/** How the caller proved who they are. */
export type AuthMethod = "web" | "bearer" | "apiKey";

export type Context = {
  db: Db;
  config: Config;
  ip: string | null;
  userAgent: string | null;
  user: ContextUser | null;
  /** The session behind a web cookie or a bearer token (null for API keys and anonymous calls). */
  session: { id: string; kind: SessionKind } | null;
  apiKeyId: string | null;
  via: AuthMethod | null;
  /** Why presented credentials were refused, for the UNAUTHORIZED message. */
  authError: Text | null;
  /** How many calls share this HTTP request (a tRPC batch); 1 for a single call. */
  batchSize: number;
  /** The language of this request's messages: the user's saved one, the switcher's cookie, Accept-Language, the default. */
  locale: Locale;
};

export type CreateContextOptions = {
  /** Request headers: `authorization`, `x-api-key`, and for the language `cookie` and `accept-language`. */
  headers?: HeaderReader;
  /** The client's address and user agent; `trace`, when given, learns the caller's user id. */
  meta?: Partial<RequestMeta> & { trace?: RequestTrace };
  /** The claims of a NextAuth JWT, decoded by the web app (this package never imports Next). */
  webSession?: SessionClaims | null;
  db?: Db;
  config?: Config;
  /** How many calls the HTTP request batches together. */
  batchSize?: number;
};

/**
 * Resolves the caller once per request, from (in this order) a bearer credential — an access
 * token or an `mk_` API key —, an `X-API-Key` header, or the NextAuth session. Every credential is
 * checked against the database, so revocations take effect on the very next request.
 */
export async function createContext(options: CreateContextOptions = {}): Promise<Context> {
  let context: Context;
  try {
    context = await resolveContext(options);
  } catch (error) {
    // An unavailable database is a 503 with Retry-After here too, before any procedure runs.
    throw mapDatabaseError(error) ?? error;
  }
  const trace = options.meta?.trace;
  if (trace && context.user) trace.userId = context.user.id;
  context.locale = resolveLocale({
    saved: context.user?.locale,
    cookie: localeFromCookie(options.headers?.get("cookie")),
    acceptLanguage: options.headers?.get("accept-language"),
    fallback: context.config.DEFAULT_LOCALE,
  });
  return context;
}

async function resolveContext(options: CreateContextOptions): Promise<Context> {
  const db = options.db ?? getDatabase().db;
  const config = options.config ?? getConfig();
  const context: Context = {
    db,
    config,
    ip: options.meta?.ip ?? null,
    userAgent: options.meta?.userAgent ?? null,
    user: null,
    session: null,
    apiKeyId: null,
    via: null,
    authError: null,
    batchSize: options.batchSize ?? 1,
    locale: config.DEFAULT_LOCALE,
  };

  const authorization = options.headers?.get("authorization")?.trim();
  const bearer = authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
  const apiKey = bearer?.startsWith("mk_") ? bearer : options.headers?.get("x-api-key")?.trim();

  if (bearer && !bearer.startsWith("mk_")) {
    if (!bearer.includes(".")) {
      const resolved = await resolveOidcAccessToken(db, bearer);
      if (!resolved) return { ...context, authError: said("auth.invalidAccessToken") };
      return { ...context, ...resolved, via: "bearer" };
    }
    const claims = await verifyAccessToken(bearer, config.JWT_SECRET);
    const resolved = claims && (await resolveSession(db, claims));
    if (!resolved) return { ...context, authError: said("auth.invalidAccessToken") };
    return { ...context, ...resolved, via: "bearer" };
  }
  if (authorization && !bearer) return { ...context, authError: said("auth.malformedAuthorization") };
  if (apiKey) {
    const resolved = await resolveApiKey(db, apiKey);
    if (!resolved) return { ...context, authError: said("auth.invalidApiKey") };
    return { ...context, user: resolved.user, apiKeyId: resolved.apiKeyId, via: "apiKey" };
  }
  if (options.webSession) {
    const resolved = await resolveSession(db, options.webSession);
    if (!resolved) return { ...context, authError: said("auth.sessionEnded") };
    return { ...context, ...resolved, via: "web" };
  }
  return context;
}
