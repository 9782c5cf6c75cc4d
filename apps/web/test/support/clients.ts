// Clients that talk to a running portal over real HTTP: the typed tRPC client (as the CLI uses
// it) and NextAuth's credentials sign-in (as a browser does it).
import { createTRPCClient, httpLink, TRPCClientError } from "@trpc/client";
import superjson from "superjson";
import type { AppRouter } from "@mastoc/api";

export type Credentials = { token?: string; apiKey?: string; cookie?: string; headers?: Record<string, string> };

export function trpcClient(baseUrl: string, credentials: Credentials = {}) {
  return createTRPCClient<AppRouter>({
    links: [
      httpLink({
        url: `${baseUrl}/api/trpc`,
        transformer: superjson,
        headers: () => ({
          ...(credentials.token ? { authorization: `Bearer ${credentials.token}` } : {}),
          ...(credentials.apiKey ? { "x-api-key": credentials.apiKey } : {}),
          ...(credentials.cookie ? { cookie: credentials.cookie } : {}),
          ...credentials.headers,
        }),
      }),
    ],
  });
}

/** The HTTP status of a failed tRPC call, or null when it did not fail. */
export async function httpStatusOf(promise: Promise<unknown>): Promise<number | null> {
  try {
    await promise;
    return null;
  } catch (error) {
    if (error instanceof TRPCClientError)
      return (error.data as { httpStatus?: number } | undefined)?.httpStatus ?? null;
    throw error;
  }
}

function cookiesOf(response: Response): string[] {
  return response.headers.getSetCookie().map((line) => line.split(";")[0]!);
}

/**
 * Signs in through NextAuth's credentials flow (csrf → callback/credentials) and returns the
 * session cookie header, or null when the sign-in was refused.
 */
export async function webSignIn(
  baseUrl: string,
  email: string,
  password: string,
): Promise<{ cookie: string | null; error: string | null }> {
  const csrfResponse = await fetch(`${baseUrl}/api/auth/csrf`);
  const { csrfToken } = (await csrfResponse.json()) as { csrfToken: string };
  const jar = cookiesOf(csrfResponse);
  const response = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar.join("; ") },
    body: new URLSearchParams({ csrfToken, email, password, json: "true" }),
  });
  const session = cookiesOf(response).find((cookie) => cookie.startsWith("next-auth.session-token="));
  if (session) return { cookie: session, error: null };
  const location = response.headers.get("location") ?? "";
  let error: string | null = null;
  try {
    error = new URL(location, baseUrl).searchParams.get("error");
  } catch {
    error = null;
  }
  if (!error && response.headers.get("content-type")?.includes("json")) {
    error = new URL(((await response.json()) as { url: string }).url, baseUrl).searchParams.get("error");
  }
  return { cookie: null, error: error ?? `status ${response.status}` };
}
