// The typed tRPC client (type-only import of the router: no server code is bundled) and the
// signed-in session on a server, with automatic refresh: shortly before the access token expires,
// and once after the server answers 401.
import { createTRPCClient, httpLink } from "@trpc/client";
import superjson from "superjson";
import type { AppRouter, RouterOutputs } from "@mastoc/api";
import { CliError, EXIT, httpStatus, sessionExpired } from "./errors";
import {
  authFor,
  changeLocked,
  changeStore,
  clearAuth,
  putAuth,
  readAuth,
  readDefaultServer,
  readStore,
  withStoreLock,
  type StoredAuth,
} from "./store";
import { locale, t } from "./i18n";
import { USER_AGENT } from "./version";
import { refreshOidc, type OidcTokens } from "./device-login";

const DEFAULT_SERVER = "http://localhost:3000";
/** Refresh when the access token has less than this left. */
const REFRESH_MARGIN_MS = 60_000;

export type Api = ReturnType<typeof createApi>;

/**
 * A server's URL in the one spelling the store keys it by: scheme, lower-case host, port only
 * when it is not the scheme's own, and the path without trailing slashes.
 */
export function normalizeServer(server: string): string {
  let url: URL;
  try {
    url = new URL(server.trim());
  } catch {
    throw new CliError(t("errors.invalidServer", { server: `"${server}"` }), EXIT.usage);
  }
  if ((url.protocol !== "http:" && url.protocol !== "https:") || url.username || url.password || url.search) {
    throw new CliError(t("errors.invalidServer", { server: `"${server}"` }), EXIT.usage);
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}

/** `--server` > `MASTOC_SERVER` > the default saved server > http://localhost:3000. */
export function resolveServer(option: string | undefined): string {
  return normalizeServer(option?.trim() || process.env.MASTOC_SERVER?.trim() || readDefaultServer() || DEFAULT_SERVER);
}

export const clientHeaders = (accessToken?: string): Record<string, string> => ({
  "user-agent": USER_AGENT,
  // The server's messages (errors, refusals) in the CLI's language.
  "accept-language": locale,
  ...(accessToken ? { authorization: `Bearer ${accessToken}` } : {}),
});

export function createApi(server: string, accessToken?: string) {
  return createTRPCClient<AppRouter>({
    links: [httpLink({ url: `${server}/api/trpc`, transformer: superjson, headers: () => clientHeaders(accessToken) })],
  });
}

type Tokens = RouterOutputs["auth"]["verifyMfa"];

const toAuth = (server: string, tokens: Tokens): StoredAuth => ({
  server,
  access_token: tokens.access_token,
  refresh_token: tokens.refresh_token,
  expires_at: Date.now() + tokens.expires_in * 1000,
  user: { id: tokens.user.id, email: tokens.user.email, username: tokens.user.username, role: tokens.user.role },
});

/** Saves a new sign-in on `server`, which becomes the default server. */
export async function saveTokens(server: string, tokens: Tokens): Promise<StoredAuth> {
  const auth = toAuth(server, tokens);
  await changeStore((store) => putAuth(store, auth, true));
  return auth;
}

/** Saves a sign-in made through the server's OpenID provider (`login --web`); `user` from auth.me. */
export async function saveOidcTokens(
  server: string,
  tokens: OidcTokens,
  user: StoredAuth["user"],
): Promise<StoredAuth> {
  const auth: StoredAuth = {
    server,
    access_token: tokens.access_token,
    refresh_token: tokens.refresh_token,
    expires_at: Date.now() + tokens.expires_in * 1000,
    user,
    via: "oidc",
  };
  await changeStore((store) => putAuth(store, auth, true));
  return auth;
}

/** Renews a session with the endpoint that issued it: the API's auth.refresh, or the OpenID provider's token endpoint. */
async function renew(current: StoredAuth): Promise<StoredAuth | null> {
  if (current.via === "oidc") {
    const tokens = await refreshOidc(current.server, current.refresh_token);
    if (!tokens) return null;
    return {
      ...current,
      access_token: tokens.access_token,
      refresh_token: tokens.refresh_token,
      expires_at: Date.now() + tokens.expires_in * 1000,
    };
  }
  try {
    const tokens = await createApi(current.server).auth.refresh.mutate({ refresh_token: current.refresh_token });
    return toAuth(current.server, tokens);
  } catch (error) {
    if (httpStatus(error) === 401) return null;
    throw error;
  }
}

/**
 * Refreshes under the store lock. If another process already rotated the tokens while we waited,
 * its fresh tokens are used instead of spending our (now rotated) refresh token.
 */
async function refresh(stale: StoredAuth): Promise<StoredAuth> {
  return withStoreLock(async () => {
    const current = readAuth(stale.server);
    if (!current) throw sessionExpired(stale.server);
    if (current.refresh_token !== stale.refresh_token) return current;
    const auth = await renew(current);
    if (!auth) {
      changeLocked((store) => clearAuth(store, current.server));
      throw sessionExpired(current.server);
    }
    changeLocked((store) => putAuth(store, auth, false));
    return auth;
  });
}

/** The stored session for `server`, or exit 3 when there is none. */
export function requireAuth(server: string): StoredAuth {
  const store = readStore();
  const auth = authFor(store, server);
  if (auth) return auth;
  const others = Object.keys(store.servers).filter((other) => authFor(store, other));
  throw new CliError(
    others.length > 0
      ? t("errors.notSignedInElsewhere", { server, others: others.join(", ") })
      : t("errors.notSignedIn", { server }),
    EXIT.unauthenticated,
  );
}

/** Runs `call` as the signed-in user, refreshing the access token when needed. */
export async function authed<T>(server: string, call: (api: Api, auth: StoredAuth) => Promise<T>): Promise<T> {
  let auth = requireAuth(server);
  if (auth.expires_at - Date.now() < REFRESH_MARGIN_MS) auth = await refresh(auth);
  try {
    return await call(createApi(server, auth.access_token), auth);
  } catch (error) {
    if (httpStatus(error) !== 401) throw error;
    auth = await refresh(auth);
    try {
      return await call(createApi(server, auth.access_token), auth);
    } catch (retryError) {
      if (httpStatus(retryError) === 401) throw sessionExpired(server);
      throw retryError;
    }
  }
}
