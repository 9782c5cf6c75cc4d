import { TRPCError } from "@trpc/server";
import { RESERVED_KEYS } from "./input-guard";
type TRPC_ERROR_CODE_KEY = TRPCError["code"];

/** Carries a field-level message to the error formatter, so forms can show it next to the field. */
export class FieldErrorCause extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = "FieldErrorCause";
  }
}

export function fieldError(field: string, message: string, code: TRPC_ERROR_CODE_KEY = "BAD_REQUEST"): TRPCError {
  return new TRPCError({ code, message, cause: new FieldErrorCause(field, message) });
}

/** The one message for every failed sign-in: it never tells whether the account exists. */
/** An update that names no field to change; `_form` stands for the input as a whole. */
export const NOTHING_TO_UPDATE = "Nothing to update: send at least one field to change";

export const INVALID_CREDENTIALS = "Invalid email or password";

export function invalidCredentials(): TRPCError {
  return new TRPCError({ code: "UNAUTHORIZED", message: INVALID_CREDENTIALS });
}

type PrismaLikeError = { name?: string; code?: string; meta?: Record<string, unknown> };

function uniqueFields(meta: Record<string, unknown> | undefined): string[] {
  const target = meta?.target;
  if (Array.isArray(target)) return target.map(String);
  if (typeof target === "string") return [target];
  const cause = (meta?.driverAdapterError as { cause?: { constraint?: { fields?: string[] } } } | undefined)?.cause;
  return cause?.constraint?.fields?.map((field) => field.replace(/"/g, "")) ?? [];
}

/** What a CONFLICT on a unique field says: the one message for that condition, wherever it arises. */
const TAKEN_MESSAGES: Record<string, string> = {
  email: "An account with this email already exists",
  username: "This username is already taken",
};

/**
 * Maps database errors that callers can cause to precise tRPC errors: a unique violation is a
 * CONFLICT naming the field, a missing record NOT_FOUND. Anything else is left alone.
 */
export function mapDatabaseError(error: unknown): TRPCError | null {
  const prismaError = error as PrismaLikeError;
  if (!prismaError || prismaError.name !== "PrismaClientKnownRequestError") return null;
  if (prismaError.code === "P2002") {
    const field = uniqueFields(prismaError.meta)[0] ?? "value";
    const message = TAKEN_MESSAGES[field] ?? `This ${field} is already taken`;
    return new TRPCError({ code: "CONFLICT", message, cause: new FieldErrorCause(field, message) });
  }
  if (prismaError.code === "P2025") {
    const model = typeof prismaError.meta?.modelName === "string" ? prismaError.meta.modelName.toLowerCase() : null;
    return new TRPCError({ code: "NOT_FOUND", message: model ? `No such ${model}` : "Not found" });
  }
  // The database could not give this request a transaction in time: a busy moment, not a fault.
  if (prismaError.code === "P2028") {
    return new TRPCError({
      code: "SERVICE_UNAVAILABLE",
      message: "The server is busy. Try again in a moment.",
      cause: new RetryAfterCause(1),
    });
  }
  // A row this change refers to was deleted meanwhile (e.g. its owner's account, by a concurrent request).
  if (prismaError.code === "P2003") {
    return new TRPCError({ code: "CONFLICT", message: "A record this change refers to no longer exists" });
  }
  return null;
}

/** Carries the number of seconds after which the caller may try again (sent as `Retry-After`). */
export class RetryAfterCause extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super(`retry after ${retryAfterSeconds}s`);
    this.name = "RetryAfterCause";
  }
}

export function tooManyRequests(message: string, retryAfterSeconds: number): TRPCError {
  const minutes = Math.ceil(retryAfterSeconds / 60);
  return new TRPCError({
    code: "TOO_MANY_REQUESTS",
    message: `${message} Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`,
    cause: new RetryAfterCause(retryAfterSeconds),
  });
}

/** Seconds to put in `Retry-After` for an error, or null. */
export function retryAfterOf(error: unknown): number | null {
  const cause = (error as { cause?: unknown } | undefined)?.cause;
  return cause instanceof RetryAfterCause ? cause.retryAfterSeconds : null;
}

type Issue = { path: PropertyKey[]; message: string; code?: string; keys?: string[] };

/** The fields an issue is about: an unknown key is named itself (`{ "nmae": … }` → `nmae`), not its object. */
function issueFields(issue: Issue): { field: string; message: string }[] {
  const at = issue.path.map(String);
  if (issue.code === "unrecognized_keys" && Array.isArray(issue.keys) && issue.keys.length > 0) {
    return issue.keys.map((key) => ({ field: [...at, key].join("."), message: "Unknown field" }));
  }
  return [{ field: at.join("."), message: issue.message }];
}

/** Field messages from a validation error (zod issues) or a field-level error thrown by a procedure. */
function fieldErrors(cause: unknown): Record<string, string[]> | null {
  if (cause instanceof FieldErrorCause) {
    return { [RESERVED_KEYS.has(cause.field) ? "_form" : cause.field]: [cause.message] };
  }
  const issues = (cause as { issues?: Issue[] } | undefined)?.issues;
  if (!Array.isArray(issues)) return null;
  const fields: Record<string, string[]> = {};
  for (const { field, message } of issues.flatMap(issueFields)) {
    // Field names become keys of the response; one that names a prototype property cannot.
    const key = !field || RESERVED_KEYS.has(field) ? "_form" : field;
    (fields[key] ??= []).push(message);
  }
  return fields;
}

/**
 * What a caller is told about an error, on every transport: the message (a validation error's
 * leads with each field's first issue; an internal error says nothing more) and the field messages.
 */
export function errorDetails(
  error: TRPCError,
  /** The name a transport gives an input key (the REST API renames a few query parameters). */
  fieldName: (key: string) => string = (key) => key,
): { message: string; fieldErrors: Record<string, string[]> | null } {
  const found = fieldErrors(error.cause);
  const fields =
    found && Object.fromEntries(Object.entries(found).map(([key, messages]) => [fieldName(key), messages]));
  if (error.code === "INTERNAL_SERVER_ERROR") return { message: "Internal server error", fieldErrors: null };
  if (fields && error.code === "BAD_REQUEST" && !(error.cause instanceof FieldErrorCause)) {
    return {
      message: Object.entries(fields)
        .map(([field, messages]) => `${field}: ${messages[0]}`)
        .join("; "),
      fieldErrors: fields,
    };
  }
  return { message: error.message, fieldErrors: fields };
}
