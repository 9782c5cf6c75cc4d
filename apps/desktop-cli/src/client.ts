// The typed tRPC client (type-only import of the router: no server code is bundled) and the
// signed-in session with automatic refresh: shortly before the access token expires, and once
// after the server answers 401.
import { createTRPCClient, httpLink } from "@trpc/client";
import superjson from "superjson";
import type { AppRouter, RouterOutputs } from "@mastoc/api";
import { CliError, httpStatus, notSignedIn, sessionExpired } from "./errors";
import { clearAuth, readAuth, readSavedServer, withStoreLock, writeAuth, type StoredAuth } from "./store";

const DEFAULT_SERVER = "http://localhost:3000";
/** Refresh when the access token has less than this left. */
const REFRESH_MARGIN_MS = 60_000;

export type Api = ReturnType<typeof createApi>;

/** `--server` > `MASTOC_SERVER` > the server saved at login > http://localhost:3000. */
export function resolveServer(option: string | undefined): string {
  const server = option?.trim() || process.env.MASTOC_SERVER?.trim() || readSavedServer() || DEFAULT_SERVER;
  try {
    const url = new URL(server);
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error();
  } catch {
    throw new CliError(`Invalid server URL "${server}": expected http(s)://host[:port]`, 2);
  }
  return server.replace(/\/+$/, "");
}

export function createApi(server: string, accessToken?: string) {
  return createTRPCClient<AppRouter>({
    links: [
      httpLink({
        url: `${server}/api/trpc`,
        transformer: superjson,
        headers: () => ({
          "user-agent": `mastoc-cli/${process.version}`,
          ...(accessToken ? { authorization: `Bearer ${accessToken}` } : {}),
        }),
      }),
    ],
  });
}

export function saveTokens(server: string, tokens: RouterOutputs["auth"]["verifyMfa"]): StoredAuth {
  const auth: StoredAuth = {
    server,
    access_token: tokens.access_token,
    refresh_token: tokens.refresh_token,
    expires_at: Date.now() + tokens.expires_in * 1000,
    user: { id: tokens.user.id, email: tokens.user.email, username: tokens.user.username, role: tokens.user.role },
  };
  writeAuth(auth);
  return auth;
}

/**
 * Refreshes under the store lock. If another process already rotated the tokens while we waited,
 * its fresh tokens are used instead of spending our (now rotated) refresh token.
 */
async function refresh(stale: StoredAuth): Promise<StoredAuth> {
  return withStoreLock(async () => {
    const current = readAuth();
    if (!current || current.server !== stale.server) throw sessionExpired();
    if (current.refresh_token !== stale.refresh_token) return current;
    try {
      const tokens = await createApi(current.server).auth.refresh.mutate({ refresh_token: current.refresh_token });
      return saveTokens(current.server, tokens);
    } catch (error) {
      if (httpStatus(error) === 401) {
        clearAuth(current.server);
        throw sessionExpired();
      }
      throw error;
    }
  });
}

/** The stored session for `server`, or exit 3 when there is none. */
function requireAuth(server: string): StoredAuth {
  const auth = readAuth();
  if (!auth) throw notSignedIn();
  if (auth.server !== server) {
    throw new CliError(
      `Not signed in to ${server} (signed in to ${auth.server}). Run \`mastoc login --server ${server}\`.`,
      3,
    );
  }
  return auth;
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
      if (httpStatus(retryError) === 401) throw sessionExpired();
      throw retryError;
    }
  }
}
