// The hot path of every authenticated request: who is calling, and is the credential still alive?
// One parameterised statement, joining the credential with its user, answers both, straight from
// the database (so a revocation takes effect on the very next request, on every instance).
// Lookups asked in the same turn of the event loop share that statement (see `batched`).
// The columns its SELECT lists are the context user's (`contextUserSelect`) and nothing else.
import { Prisma, type Db } from "@mastoc/db";
import DataLoader from "dataloader";
import type { ContextUser } from "../context";
import type { RoleName } from "../permissions";

type Timestamp = Date | string | number;
type UserColumns = {
  id: string;
  email: string;
  username: string;
  name: string | null;
  firstName: string | null;
  lastName: string | null;
  image: string | null;
  role: string;
  isActive: boolean | number | bigint;
  emailVerified: Timestamp | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
  lastLoginAt: Timestamp | null;
  locale: string | null;
  timeZone: string | null;
  sessionVersion: number | bigint;
};

const date = (value: Timestamp) => (value instanceof Date ? value : new Date(value));
const optionalDate = (value: Timestamp | null) => (value === null ? null : date(value));

/** A joined row as the context user, the same on both providers (SQLite returns numbers for booleans). */
function contextUser(row: UserColumns): ContextUser {
  return {
    id: row.id,
    email: row.email,
    username: row.username,
    name: row.name,
    firstName: row.firstName,
    lastName: row.lastName,
    image: row.image,
    role: row.role as RoleName,
    isActive: Boolean(row.isActive),
    emailVerified: optionalDate(row.emailVerified),
    createdAt: date(row.createdAt),
    updatedAt: date(row.updatedAt),
    lastLoginAt: optionalDate(row.lastLoginAt),
    locale: row.locale,
    timeZone: row.timeZone,
    sessionVersion: Number(row.sessionVersion),
  };
}

/** The most lookups one statement answers; more wait for the next statement. */
const MAX_BATCH = 64;

/**
 * A lookup by key whose calls made in the same turn of the event loop are answered by one
 * statement (DataLoader, dispatched from `setImmediate`). Under load, several requests arrive
 * between two turns, and the fixed cost of a query through Prisma is then paid once for all of
 * them. Nothing is cached: every lookup is answered by a statement that runs after it was asked,
 * so a request sees every change committed before it arrived, as with a statement of its own.
 */
function batched<Row>(keyOf: (row: Row) => string, query: (db: Db, keys: string[]) => Promise<Row[]>) {
  const loaders = new WeakMap<Db, DataLoader<string, Row | null>>();
  return (db: Db, key: string): Promise<Row | null> => {
    let loader = loaders.get(db);
    if (!loader) {
      loader = new DataLoader<string, Row | null>(
        async (keys) => {
          const rows = await query(db, [...new Set(keys)]);
          const byKey = new Map(rows.map((row) => [keyOf(row), row]));
          return keys.map((key) => byKey.get(key) ?? null);
        },
        { cache: false, maxBatchSize: MAX_BATCH, batchScheduleFn: (dispatch) => setImmediate(dispatch) },
      );
      loaders.set(db, loader);
    }
    return loader.load(key);
  };
}

type SessionRow = UserColumns & { sessionId: string; kind: string; lastUsedAt: Timestamp; expiresAt: Timestamp };

/** Unrevoked sessions of active users, by id. */
const loadSession = batched<SessionRow>(
  (row) => row.sessionId,
  (db, ids) => db.$queryRaw`
    SELECT s."id" AS "sessionId", s."kind", s."lastUsedAt", s."expiresAt",
      u."id", u."email", u."username", u."name", u."firstName", u."lastName", u."image", u."role", u."isActive",
      u."emailVerified", u."createdAt", u."updatedAt", u."lastLoginAt", u."locale", u."timeZone", u."sessionVersion"
    FROM "AuthSession" s JOIN "User" u ON u."id" = s."userId"
    WHERE s."id" IN (${Prisma.join(ids)}) AND s."revokedAt" IS NULL AND u."isActive" = true`,
);

/**
 * The live session `sid` of user `sub` at session version `sv`, with its user: null when the
 * session is unknown, revoked or expired at `now`, the user inactive, or the version changed since.
 */
export async function findSessionCaller(db: Db, claims: { sid: string; sub: string; sv: number }, now: Date) {
  const row = await loadSession(db, claims.sid);
  if (
    !row ||
    row.id !== claims.sub ||
    Number(row.sessionVersion) !== claims.sv ||
    date(row.expiresAt).getTime() <= now.getTime()
  ) {
    return null;
  }
  return { user: contextUser(row), sessionId: row.sessionId, kind: row.kind, lastUsedAt: date(row.lastUsedAt) };
}

type ApiKeyRow = UserColumns & {
  apiKeyId: string;
  keyHash: string;
  lastUsedAt: Timestamp | null;
  expiresAt: Timestamp | null;
};

/** Unrevoked API keys of active users, by hash. */
const loadApiKey = batched<ApiKeyRow>(
  (row) => row.keyHash,
  (db, hashes) => db.$queryRaw`
    SELECT k."id" AS "apiKeyId", k."keyHash", k."lastUsedAt", k."expiresAt",
      u."id", u."email", u."username", u."name", u."firstName", u."lastName", u."image", u."role", u."isActive",
      u."emailVerified", u."createdAt", u."updatedAt", u."lastLoginAt", u."locale", u."timeZone", u."sessionVersion"
    FROM "ApiKey" k JOIN "User" u ON u."id" = k."userId"
    WHERE k."keyHash" IN (${Prisma.join(hashes)}) AND k."revokedAt" IS NULL AND u."isActive" = true`,
);

/** The live API key with this hash, with its user: null when unknown, revoked, expired at `now`, or the user inactive. */
export async function findApiKeyCaller(db: Db, keyHash: string, now: Date) {
  const row = await loadApiKey(db, keyHash);
  if (!row || (row.expiresAt !== null && date(row.expiresAt).getTime() <= now.getTime())) return null;
  return { user: contextUser(row), apiKeyId: row.apiKeyId, lastUsedAt: optionalDate(row.lastUsedAt) };
}

type OidcTokenRow = UserColumns & { tokenKey: string; sessionId: string; sessionLastUsedAt: Timestamp };

/** Live access tokens of the OpenID provider, by row key, with their grant's session and user. */
const loadOidcToken = batched<OidcTokenRow>(
  (row) => row.tokenKey,
  (db, keys) => db.$queryRaw`
    SELECT p."key" AS "tokenKey", s."id" AS "sessionId", s."lastUsedAt" AS "sessionLastUsedAt",
      u."id", u."email", u."username", u."name", u."firstName", u."lastName", u."image", u."role", u."isActive",
      u."emailVerified", u."createdAt", u."updatedAt", u."lastLoginAt", u."locale", u."timeZone", u."sessionVersion"
    FROM "OidcPayload" p JOIN "AuthSession" s ON s."id" = p."sessionId" JOIN "User" u ON u."id" = s."userId"
    WHERE p."key" IN (${Prisma.join(keys)}) AND p."model" = 'AccessToken' AND p."expiresAt" > ${new Date()}
      AND s."revokedAt" IS NULL AND s."expiresAt" > ${new Date()} AND u."isActive" = true`,
);

/**
 * The user behind an access token of the OpenID provider (its row key), through the session its
 * grant opened: null when the token is unknown or expired, the session revoked or expired, or the
 * user inactive. One statement, like the other credentials.
 */
export async function findOidcTokenCaller(db: Db, tokenKey: string) {
  const row = await loadOidcToken(db, tokenKey);
  if (!row) return null;
  return { user: contextUser(row), sessionId: row.sessionId, lastUsedAt: date(row.sessionLastUsedAt) };
}
