// What the API tells the server it runs in, so that the server can count and log it: audit events
// (sign-in outcomes, lockouts, refresh-token reuse, administrators' changes), database failures,
// how long password tasks waited for a thread, and who the caller of a request turned out to be.
// The API knows nothing of metrics or log formats; the server installs one observer per process.
// It lives on globalThis because the server bundle and Next's chunks each carry a copy of this
// package, and a sign-in answered by Next must reach the same counters as one answered by tRPC.

/** Filled in by `createContext` for the request that carries it: the caller's user id, once known. */
export type RequestTrace = { userId: string | null };

/** What an audit entry tells an observer: the action and whom it concerns, never its details. */
export type ObservedAudit = {
  action: string;
  actorId: string | null;
  targetType: string | null;
  targetId: string | null;
};

/** Kinds of database failure, a bounded set (they become metric labels). */
export type DatabaseErrorKind =
  /** The server cannot be reached, refused or dropped the connection, or the file cannot be opened. */
  | "unreachable"
  /** No connection (or lock) could be had in time. */
  | "timeout"
  /** The database accepts no writes (a standby, a failover in progress, a read-only file). */
  | "read_only"
  /** A unique, foreign-key or missing-row condition a caller caused. */
  | "constraint"
  | "other";

export type ApiObserver = {
  audit?(event: ObservedAudit): void;
  databaseError?(kind: DatabaseErrorKind): void;
  /** Seconds a password hash or check waited for a worker thread. */
  passwordTask?(waitSeconds: number): void;
};

const shared = globalThis as unknown as { mastocApiObserver?: ApiObserver };

/** Installs the process's observer (the server does, once at start). */
export function setApiObserver(observer: ApiObserver | undefined): void {
  shared.mastocApiObserver = observer;
}

export function apiObserver(): ApiObserver | undefined {
  return shared.mastocApiObserver;
}
