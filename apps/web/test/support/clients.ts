// Clients that talk to a running portal over real HTTP: the typed tRPC client (as the CLI uses
// it) and NextAuth's credentials sign-in (as a browser does it).
import { createTRPCClient, httpLink, TRPCClientError } from "@trpc/client";
import { generate } from "otplib";
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

/** The token response of an `auth.login` that must not ask for a second factor. */
export function tokensOf<T extends object>(result: T): Exclude<T, { mfa_required: true }> {
  if ("mfa_required" in result) throw new Error("expected tokens, got a two-factor challenge");
  return result as Exclude<T, { mfa_required: true }>;
}

/** The TOTP code of `secret`, `steps` 30-second steps from now (the server accepts ±1). */
export const totp = (secret: string, steps = 0) =>
  generate({ secret, epoch: Math.floor(Date.now() / 1000) + steps * 30 });

/**
 * Turns two-factor authentication on for an account over HTTP; answers its secret and recovery
 * codes. The code of the current step is used up: the next sign-in uses `totp(secret, 1)`.
 */
export async function enableTwoFactor(baseUrl: string, email: string, password: string) {
  const tokens = tokensOf(await trpcClient(baseUrl).auth.login.mutate({ email, password }));
  const api = trpcClient(baseUrl, { token: tokens.access_token });
  const { secret } = await api.auth.twoFactor.setup.mutate({ password });
  const { recoveryCodes } = await api.auth.twoFactor.enable.mutate({ code: await totp(secret) });
  return { secret, recoveryCodes, token: tokens.access_token };
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
  /** The browser's cookies, when it already holds some (a session to replace). */
  cookie?: string,
): Promise<{ cookie: string | null; error: string | null }> {
  const csrfResponse = await fetch(`${baseUrl}/api/auth/csrf`);
  const { csrfToken } = (await csrfResponse.json()) as { csrfToken: string };
  const jar = [...(cookie ? [cookie] : []), ...cookiesOf(csrfResponse)];
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
