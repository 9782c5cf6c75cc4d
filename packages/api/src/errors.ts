import { TRPCError } from "@trpc/server";
import { translator, type Locale, type MessageKey } from "./i18n";
import { message as validationMessage } from "./i18n/validation-keys";
import { localizeIssue } from "./i18n/zod";
import { RESERVED_KEYS } from "./input-guard";
import { apiObserver, type DatabaseErrorKind } from "./observability";
type TRPC_ERROR_CODE_KEY = TRPCError["code"];

export type ErrorKey = MessageKey<"errors">;
export type MessageValues = Record<string, string | number>;

/**
 * What an error says, in whichever language it is read: the API's messages are written when they
 * are sent, in the caller's language (errorDetails), and in English wherever they are logged.
 */
export type Text = (locale: Locale) => string;

const errorTranslators = new Map<Locale, ReturnType<typeof translator<"errors">>>();

/** The `errors` catalog's message `key`, in any language. */
export function said(key: ErrorKey, values?: MessageValues): Text {
  return (locale) => {
    let t = errorTranslators.get(locale);
    if (!t) errorTranslators.set(locale, (t = translator(locale, "errors")));
    return t(key, values);
  };
}

/** Several messages said one after the other ("Too many wrong codes. Try again in 5 minutes."). */
export const saidInTurn =
  (...texts: Text[]): Text =>
  (locale) =>
    texts.map((text) => text(locale)).join(" ");

/** Carries an error's message in every language; its own message is the English one. */
export class LocalizedCause extends Error {
  constructor(readonly text: Text) {
    super(text("en"));
    this.name = "LocalizedCause";
  }
}

/** A TRPCError whose message is written in the caller's language when it is sent. */
export function apiError(code: TRPC_ERROR_CODE_KEY, text: Text): TRPCError {
  return new TRPCError({ code, message: text("en"), cause: new LocalizedCause(text) });
}

/** What a TRPCError says, in any language (its English message when it carries no other). */
export function textOf(error: TRPCError): Text {
  return error.cause instanceof LocalizedCause ? error.cause.text : () => error.message;
}

/** Carries a field-level message to the error formatter, so forms can show it next to the field. */
export class FieldErrorCause extends LocalizedCause {
  constructor(
    readonly field: string,
    text: Text,
  ) {
    super(text);
    this.name = "FieldErrorCause";
  }
}

export function fieldError(field: string, text: Text, code: TRPC_ERROR_CODE_KEY = "BAD_REQUEST"): TRPCError {
  return new TRPCError({ code, message: text("en"), cause: new FieldErrorCause(field, text) });
}

/** An update that names no field to change; `_form` stands for the input as a whole. */
export const NOTHING_TO_UPDATE = said("conflict.nothingToUpdate");

/** The one message for every failed sign-in: it never tells whether the account exists. */
export const INVALID_CREDENTIALS = said("auth.invalidCredentials")("en");

export function invalidCredentials(): TRPCError {
  return apiError("UNAUTHORIZED", said("auth.invalidCredentials"));
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
const TAKEN_MESSAGES: Record<string, Text> = {
  email: said("conflict.emailTaken"),
  username: said("conflict.usernameTaken"),
};

/** Seconds a client is told to wait (`Retry-After`) while the database is unavailable. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/** Prisma's codes for a database it cannot reach, or could not get a connection from in time. */
const PRISMA_OUTAGE: Record<string, DatabaseErrorKind> = {
  P1001: "unreachable", // can't reach the database server
  P1002: "timeout", // reached, but timed out
  P1008: "timeout", // operations timed out
  P1017: "unreachable", // the server closed the connection
  P2024: "timeout", // timed out fetching a connection from the pool
};

/** The driver adapters' kinds of error (Prisma's driver-adapter-utils) that mean an outage. */
const ADAPTER_OUTAGE: Record<string, DatabaseErrorKind> = {
  DatabaseNotReachable: "unreachable",
  DatabaseDoesNotExist: "unreachable",
  DatabaseAccessDenied: "unreachable",
  AuthenticationFailed: "unreachable",
  TlsConnectionError: "unreachable",
  ConnectionClosed: "unreachable",
  TooManyConnections: "timeout",
  // better-sqlite3's SQLITE_BUSY: the lock was not free within the busy timeout.
  SocketTimeout: "timeout",
};

/** Node's socket errors, and SQLite's result codes for a file it cannot open, read or write. */
const SYSTEM_OUTAGE: Record<string, DatabaseErrorKind> = {
  ECONNREFUSED: "unreachable",
  ECONNRESET: "unreachable",
  EPIPE: "unreachable",
  EHOSTUNREACH: "unreachable",
  ENETUNREACH: "unreachable",
  ENOTFOUND: "unreachable",
  EAI_AGAIN: "unreachable",
  ETIMEDOUT: "timeout",
  SQLITE_BUSY: "timeout",
  SQLITE_LOCKED: "timeout",
  SQLITE_CANTOPEN: "unreachable",
  SQLITE_IOERR: "unreachable",
  SQLITE_PERM: "unreachable",
  SQLITE_AUTH: "unreachable",
  SQLITE_NOTADB: "unreachable",
  SQLITE_FULL: "read_only",
  SQLITE_READONLY: "read_only",
};

/** PostgreSQL's SQLSTATE of an outage, by exact code or by class (the first two characters). */
function postgresOutage(sqlState: string): DatabaseErrorKind | null {
  if (sqlState === "25006") return "read_only"; // read-only transaction: a standby, or a failover under way
  if (sqlState === "57P01" || sqlState === "57P02" || sqlState === "57P03") return "unreachable"; // shutting down, starting
  if (sqlState === "53300") return "timeout"; // too many connections
  if (sqlState === "57014") return "timeout"; // statement timeout or cancelled
  if (sqlState.startsWith("08")) return "unreachable"; // connection exception
  if (sqlState.startsWith("53") || sqlState.startsWith("58")) return "unreachable"; // out of resources, system error
  return null;
}

/** Messages of the `pg` pool and driver that carry no code. */
const POOL_MESSAGES: [RegExp, DatabaseErrorKind][] = [
  [/timeout exceeded when trying to connect/i, "timeout"],
  [/Connection terminated due to connection timeout/i, "timeout"],
  [/Connection terminated/i, "unreachable"],
  [/Client has encountered a connection error/i, "unreachable"],
];

type ErrorLike = {
  name?: unknown;
  code?: unknown;
  kind?: unknown;
  message?: unknown;
  cause?: unknown;
  meta?: { driverAdapterError?: unknown };
};

function outageOf(node: ErrorLike): DatabaseErrorKind | null {
  const code = typeof node.code === "string" ? node.code : null;
  if (code && Object.hasOwn(PRISMA_OUTAGE, code)) return PRISMA_OUTAGE[code]!;
  if (typeof node.kind === "string") {
    if (Object.hasOwn(ADAPTER_OUTAGE, node.kind)) return ADAPTER_OUTAGE[node.kind]!;
    if (node.kind === "postgres" && code) return postgresOutage(code);
  }
  if (code) {
    // SQLite's extended codes (SQLITE_IOERR_READ, SQLITE_READONLY_DBMOVED…) share their primary's meaning.
    const primary = code.startsWith("SQLITE_") ? code.split("_").slice(0, 2).join("_") : code;
    if (Object.hasOwn(SYSTEM_OUTAGE, primary)) return SYSTEM_OUTAGE[primary]!;
    if (/^[0-9A-Z]{5}$/.test(code)) {
      const postgres = postgresOutage(code);
      if (postgres) return postgres;
    }
  }
  if (typeof node.message === "string") {
    for (const [pattern, kind] of POOL_MESSAGES) if (pattern.test(node.message)) return kind;
  }
  return null;
}

/**
 * Whether `error` says the database is unavailable rather than that the request was wrong: the
 * server is down or restarting, refused or dropped the connection, no connection or lock could be
 * had in time, or it accepts no writes (a standby during a failover). Looks through Prisma's
 * wrappers, the driver adapter's error and the driver's own.
 */
export function databaseOutage(error: unknown): DatabaseErrorKind | null {
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length > 0 && seen.size < 8) {
    const node = queue.shift();
    if (!node || typeof node !== "object" || seen.has(node)) continue;
    seen.add(node);
    const found = outageOf(node as ErrorLike);
    if (found) return found;
    const { cause, meta } = node as ErrorLike;
    queue.push(cause, meta?.driverAdapterError);
  }
  return null;
}

/** The answer to any request that needs a database which is unavailable: 503 with `Retry-After`. */
export function databaseUnavailable(): TRPCError {
  const text = said("unavailable.database");
  return new TRPCError({
    code: "SERVICE_UNAVAILABLE",
    message: text("en"),
    cause: new RetryAfterCause(DATABASE_RETRY_AFTER_SECONDS, text),
  });
}

const isDatabaseError = (error: unknown) => {
  const name = (error as { name?: unknown } | null)?.name;
  return typeof name === "string" && (name.startsWith("PrismaClient") || name === "DriverAdapterError");
};

/**
 * Maps database errors to precise tRPC errors: an unavailable database is SERVICE_UNAVAILABLE
 * with a Retry-After; a unique violation is a CONFLICT naming the field, a missing record
 * NOT_FOUND. Anything else is left alone. Each database error mapped or not is reported to the
 * process's observer (the server counts them).
 */
export function mapDatabaseError(error: unknown): TRPCError | null {
  const outage = databaseOutage(error);
  if (outage) {
    apiObserver()?.databaseError?.(outage);
    return databaseUnavailable();
  }
  const mapped = mapKnownError(error);
  if (isDatabaseError(error)) {
    const kind = !mapped ? "other" : mapped.code === "SERVICE_UNAVAILABLE" ? "timeout" : "constraint";
    apiObserver()?.databaseError?.(kind);
  }
  return mapped;
}

function mapKnownError(error: unknown): TRPCError | null {
  const prismaError = error as PrismaLikeError;
  if (!prismaError || prismaError.name !== "PrismaClientKnownRequestError") return null;
  if (prismaError.code === "P2002") {
    const field = uniqueFields(prismaError.meta)[0] ?? "value";
    return fieldError(field, TAKEN_MESSAGES[field] ?? said("conflict.fieldTaken", { field }), "CONFLICT");
  }
  if (prismaError.code === "P2025") {
    const model = typeof prismaError.meta?.modelName === "string" ? prismaError.meta.modelName.toLowerCase() : null;
    return apiError("NOT_FOUND", model ? said("notFound.record", { model }) : said("notFound.any"));
  }
  // The database could not give this request a transaction in time: a busy moment, not a fault.
  if (prismaError.code === "P2028") {
    const text = said("unavailable.busy");
    return new TRPCError({ code: "SERVICE_UNAVAILABLE", message: text("en"), cause: new RetryAfterCause(1, text) });
  }
  // A row this change refers to was deleted meanwhile (e.g. its owner's account, by a concurrent request).
  if (prismaError.code === "P2003") {
    return apiError("CONFLICT", said("conflict.recordGone"));
  }
  return null;
}

/** Carries the number of seconds after which the caller may try again (sent as `Retry-After`). */
export class RetryAfterCause extends LocalizedCause {
  constructor(
    readonly retryAfterSeconds: number,
    text: Text = () => `retry after ${retryAfterSeconds}s`,
  ) {
    super(text);
    this.name = "RetryAfterCause";
  }
}

export function tooManyRequests(refusal: Text, retryAfterSeconds: number): TRPCError {
  const text = saidInTurn(refusal, said("rateLimit.tryAgain", { minutes: Math.ceil(retryAfterSeconds / 60) }));
  return new TRPCError({
    code: "TOO_MANY_REQUESTS",
    message: text("en"),
    cause: new RetryAfterCause(retryAfterSeconds, text),
  });
}

/** Seconds to put in `Retry-After` for an error, or null. */
export function retryAfterOf(error: unknown): number | null {
  const cause = (error as { cause?: unknown } | undefined)?.cause;
  return cause instanceof RetryAfterCause ? cause.retryAfterSeconds : null;
}

type Issue = { path: PropertyKey[]; message: string; code?: string; keys?: string[] };

/** How a caller reads messages: its language, and the raw input zod's issues point into. */
export type Reader = { locale: Locale; input?: unknown };

/** The fields an issue is about: an unknown key is named itself (`{ "nmae": … }` → `nmae`), not its object. */
function issueFields(issue: Issue, reader: Reader): { field: string; message: string }[] {
  const at = issue.path.map(String);
  if (issue.code === "unrecognized_keys" && Array.isArray(issue.keys) && issue.keys.length > 0) {
    const message = localizeIssue({ message: validationMessage("unknownField"), path: issue.path }, reader.locale);
    return issue.keys.map((key) => ({ field: [...at, key].join("."), message }));
  }
  return [{ field: at.join("."), message: localizeIssue(issue, reader.locale, reader.input) }];
}

/** Field messages from a validation error (zod issues) or a field-level error thrown by a procedure. */
function fieldErrors(cause: unknown, reader: Reader): Record<string, string[]> | null {
  if (cause instanceof FieldErrorCause) {
    return { [RESERVED_KEYS.has(cause.field) ? "_form" : cause.field]: [cause.text(reader.locale)] };
  }
  const issues = (cause as { issues?: Issue[] } | undefined)?.issues;
  if (!Array.isArray(issues)) return null;
  const fields: Record<string, string[]> = {};
  for (const { field, message } of issues.flatMap((issue) => issueFields(issue, reader))) {
    // Field names become keys of the response; one that names a prototype property cannot.
    const key = !field || RESERVED_KEYS.has(field) ? "_form" : field;
    (fields[key] ??= []).push(message);
  }
  return fields;
}

/** French puts a non-breaking space before a colon and a semicolon. */
const colon = (locale: Locale) => (locale === "fr" ? "\u00a0: " : ": ");
const semicolon = (locale: Locale) => (locale === "fr" ? "\u00a0; " : "; ");

/**
 * What a caller is told about an error, on every transport: the message (a validation error's
 * leads with each field's first issue; an internal error says nothing more) and the field messages.
 */
export function errorDetails(
  error: TRPCError,
  reader: Reader,
  /** The name a transport gives an input key (the REST API renames a few query parameters). */
  fieldName: (key: string) => string = (key) => key,
): { message: string; fieldErrors: Record<string, string[]> | null } {
  const found = fieldErrors(error.cause, reader);
  const fields =
    found && Object.fromEntries(Object.entries(found).map(([key, messages]) => [fieldName(key), messages]));
  if (error.code === "INTERNAL_SERVER_ERROR") return { message: said("internal")(reader.locale), fieldErrors: null };
  if (fields && error.code === "BAD_REQUEST" && !(error.cause instanceof FieldErrorCause)) {
    return {
      message: Object.entries(fields)
        .map(([field, messages]) => `${field}${colon(reader.locale)}${messages[0]}`)
        .join(semicolon(reader.locale)),
      fieldErrors: fields,
    };
  }
  const message = error.cause instanceof LocalizedCause ? error.cause.text(reader.locale) : error.message;
  return { message, fieldErrors: fields };
}
