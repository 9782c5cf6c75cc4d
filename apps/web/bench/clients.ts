// The three credentials a caller can present, obtained over HTTP the way real clients obtain them:
// an access token from `auth.login` (the CLI), a NextAuth session cookie from the credentials
// sign-in (a browser), and an `mk_` API key from `apiKeys.create` (a script).
import { createTRPCClient, httpLink } from "@trpc/client";
import superjson from "superjson";
import type { AppRouter } from "@mastoc/api";

export function apiClient(baseUrl: string, headers: Record<string, string> = {}) {
  return createTRPCClient<AppRouter>({
    links: [httpLink({ url: `${baseUrl}/api/trpc`, transformer: superjson, headers })],
  });
}

/** The body of a tRPC mutation over plain HTTP, as the client sends it (superjson-encoded input). */
export const trpcBody = (input: unknown) => JSON.stringify(superjson.serialize(input));

export async function accessToken(baseUrl: string, email: string, password: string): Promise<string> {
  const result = await apiClient(baseUrl).auth.login.mutate({ email, password });
  if ("mfa_required" in result)
    throw new Error(`${email} has two-factor authentication: the bench needs a password-only account`);
  return result.access_token;
}

/**
 * `count` results of `make`, at most `parallel` at a time: several sessions of one account are
 * opened a few at a time, since an account refuses more concurrent sign-ins than its failure limit.
 */
export async function several<T>(count: number, make: () => Promise<T>, parallel = 4): Promise<T[]> {
  const made: T[] = [];
  while (made.length < count) {
    made.push(...(await Promise.all(Array.from({ length: Math.min(parallel, count - made.length) }, make))));
  }
  return made;
}

/** An access token whose session has been signed out: a server must refuse it on its next request. */
export async function revokedAccessToken(baseUrl: string, email: string, password: string): Promise<string> {
  const token = await accessToken(baseUrl, email, password);
  await apiClient(baseUrl, { authorization: `Bearer ${token}` }).auth.logout.mutate();
  return token;
}

export async function apiKey(baseUrl: string, token: string): Promise<string> {
  const created = await apiClient(baseUrl, { authorization: `Bearer ${token}` }).apiKeys.create.mutate({
    name: "bench",
  });
  return created.key;
}

const cookiesOf = (response: Response) => response.headers.getSetCookie().map((line) => line.split(";")[0]!);

/** Signs in as a browser does (csrf token, then the credentials callback) and returns the session cookie. */
export async function sessionCookie(baseUrl: string, email: string, password: string): Promise<string> {
  const csrf = await fetch(`${baseUrl}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const response = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookiesOf(csrf).join("; ") },
    body: new URLSearchParams({ csrfToken, email, password, json: "true" }),
  });
  const cookie = cookiesOf(response).find((entry) => /^(__Secure-)?next-auth\.session-token=/.test(entry));
  if (!cookie) throw new Error(`web sign-in failed: status ${response.status}, ${response.headers.get("location")}`);
  return cookie;
}

/** Registers `count` accounts with `password` (as people do, over HTTP) and returns their emails. */
export async function stormAccounts(baseUrl: string, count: number, password: string): Promise<string[]> {
  const run = Date.now().toString(36);
  return Promise.all(
    Array.from({ length: count }, async (_, index) => {
      const username = `storm${run}${index}`;
      const user = await apiClient(baseUrl).auth.register.mutate({
        email: `${username}@example.com`,
        username,
        password,
      });
      return user.email;
    }),
  );
}
