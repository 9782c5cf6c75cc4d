// The one error format of every HTTP answer outside tRPC's own protocol (the REST API, the
// gateway's refusals, avatar routes, the audit export, docs, unknown /api paths): RFC 9457 problem
// details, `application/problem+json`, with `errors` naming each field whose input was wrong.
import type { ServerResponse } from "node:http";
import type { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { errorDetails, retryAfterOf, said, type ErrorKey, type Reader, type Text } from "../errors";
import type { Locale } from "../i18n";

/** A field's message: already written for the reader, or to be written in their language. */
export type FieldProblem = { field: string; message: string | Text };

export type Problem = {
  status: number;
  /** What went wrong: already written for the reader, or to be written in their language. */
  detail: string | Text;
  /** The tRPC error code, when the problem comes from a procedure. */
  code?: string;
  errors?: FieldProblem[];
  headers?: Record<string, string>;
};

/** A failure of the HTTP layer itself (body, content type, route), thrown to be answered as a problem. */
export class HttpProblem extends Error {
  constructor(readonly problem: Problem) {
    super(writtenIn(problem.detail, "en"));
  }
}

const writtenIn = (text: string | Text, locale: Locale) => (typeof text === "string" ? text : text(locale));

/** Throws the problem `status` with `detail`; the handler's catch answers it. */
export const fail = (status: number, detail: string | Text, extra: Partial<Problem> = {}): never => {
  throw new HttpProblem({ status, detail, ...extra });
};

export const PROBLEM_CONTENT_TYPE = "application/problem+json; charset=utf-8";

/** The statuses whose title the `errors` catalog words; any other is titled "Error". */
const TITLED = new Set([400, 401, 403, 404, 405, 409, 412, 413, 415, 422, 429, 500, 503]);

/** A status's title (HTTP's reason phrase in English) in `locale`. */
export const problemTitle = (status: number, locale: Locale) =>
  said((TITLED.has(status) ? `status.${status}` : "status.other") as ErrorKey)(locale);

/** The problem document itself (the JSON body), in the reader's language. */
export function problemBody(problem: Problem, locale: Locale) {
  return {
    type: "about:blank",
    title: problemTitle(problem.status, locale),
    status: problem.status,
    detail: writtenIn(problem.detail, locale),
    ...(problem.code ? { code: problem.code } : {}),
    ...(problem.errors
      ? { errors: problem.errors.map(({ field, message }) => ({ field, message: writtenIn(message, locale) })) }
      : {}),
  };
}

/** Writes `problem` as the whole answer, in `locale` (the caller's language); never caches. */
export function sendProblem(response: ServerResponse, problem: Problem, locale: Locale): void {
  const body = JSON.stringify(problemBody(problem, locale));
  response.writeHead(problem.status, {
    "cache-control": "no-store",
    "content-type": PROBLEM_CONTENT_TYPE,
    "content-length": Buffer.byteLength(body),
    ...problem.headers,
  });
  response.end(body);
}

/** The problem of an unexpected failure: nothing about its cause leaves the server. */
export const INTERNAL_PROBLEM: Problem = { status: 500, detail: said("internal") };

/**
 * A procedure's error as a problem. The JSON was well formed by then, so a BAD_REQUEST from a
 * procedure is content it could not process: 422, naming each field.
 */
export function problemOf(
  error: TRPCError,
  context: { authError?: unknown } | null,
  reader: Reader,
  fieldName?: (key: string) => string,
): Problem {
  const { message, fieldErrors } = errorDetails(error, reader, fieldName);
  const status = error.code === "BAD_REQUEST" ? 422 : getHTTPStatusCodeFromError(error);
  const headers: Record<string, string> = {};
  const retryAfter = retryAfterOf(error);
  if (retryAfter) headers["retry-after"] = String(retryAfter);
  if (status === 401) {
    headers["www-authenticate"] = context?.authError
      ? `Bearer realm="mastoc", error="invalid_token"`
      : `Bearer realm="mastoc"`;
  }
  return {
    status,
    detail: message,
    code: error.code,
    ...(fieldErrors
      ? {
          errors: Object.entries(fieldErrors).flatMap(([field, messages]) =>
            messages.map((fieldMessage) => ({ field, message: fieldMessage })),
          ),
        }
      : {}),
    headers,
  };
}
