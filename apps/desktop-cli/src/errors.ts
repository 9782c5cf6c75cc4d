import { TRPCClientError } from "@trpc/client";
import type { AppRouter } from "@mastoc/api";
import { t } from "./i18n";

export const EXIT = { ok: 0, error: 1, usage: 2, unauthenticated: 3, interrupted: 130 } as const;

/** An error that ends the command with a given exit code and one clear line on stderr. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.error,
  ) {
    super(message);
  }
}

export const sessionExpired = (server: string) =>
  new CliError(t("errors.sessionExpired", { server }), EXIT.unauthenticated);

/** A failed plain HTTP call (avatar upload and download), carrying the server's status and message. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** An error answered by the API, typed by its error formatter. */
const isApiError = (error: unknown): error is TRPCClientError<AppRouter> => error instanceof TRPCClientError;

export function httpStatus(error: unknown): number | null {
  if (error instanceof HttpError) return error.status;
  return isApiError(error) ? (error.data?.httpStatus ?? null) : null;
}

/** The one line printed for a failed call: the server's message, with field names when it gave them. */
export function describeError(error: unknown, server: string): string {
  if (isApiError(error)) {
    const fields = error.data?.fieldErrors;
    if (fields && Object.keys(fields).length > 0 && !error.message.includes(":")) {
      return Object.entries(fields)
        .map(([field, messages]) => `${field}: ${messages[0]}`)
        .join("; ");
    }
    const cause = error.cause as { code?: string; cause?: { code?: string } } | undefined;
    const code = cause?.code ?? cause?.cause?.code;
    if (code === "ECONNREFUSED" || code === "ENOTFOUND" || /fetch failed/i.test(error.message)) {
      return t("errors.unreachable", { server });
    }
    return error.message;
  }
  return error instanceof Error ? error.message : String(error);
}

/** Whether the server refused the value of `field` (a wrong password or code), for asking it again. */
export const refusedField = (field: string) => (error: unknown) =>
  isApiError(error) && (error.data?.fieldErrors?.[field]?.length ?? 0) > 0;

/** Whether the server refused the credentials themselves (a wrong password or sign-in code). */
export const refusedCredentials = (error: unknown) => httpStatus(error) === 401;
