// The hot path of every authenticated request: who is calling, and is the credential still alive?
// One parameterised statement per credential, joining it with its user, answers both, straight
// from the database (so a revocation takes effect on the very next request, on every instance).
// These are the only hand-written SELECTs of the API: the columns listed here are the context
// user's (`contextUserSelect`) and nothing else.
import type { Db } from "@mastoc/db";
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
    sessionVersion: Number(row.sessionVersion),
  };
}

/**
 * The live session `sid` of user `sub` at session version `sv`, with its user: null when the
 * session is unknown, revoked or expired, the user inactive, or the version changed since.
 */
export async function findSessionCaller(db: Db, claims: { sid: string; sub: string; sv: number }, now: Date) {
  const rows = await db.$queryRaw<(UserColumns & { sessionId: string; kind: string; lastUsedAt: Timestamp })[]>`
    SELECT s."id" AS "sessionId", s."kind", s."lastUsedAt",
      u."id", u."email", u."username", u."name", u."firstName", u."lastName", u."image", u."role", u."isActive",
      u."emailVerified", u."createdAt", u."updatedAt", u."lastLoginAt", u."sessionVersion"
    FROM "AuthSession" s JOIN "User" u ON u."id" = s."userId"
    WHERE s."id" = ${claims.sid} AND s."userId" = ${claims.sub} AND s."revokedAt" IS NULL
      AND s."expiresAt" > ${now} AND u."isActive" = true AND u."sessionVersion" = ${claims.sv}`;
  const row = rows[0];
  if (!row) return null;
  return { user: contextUser(row), sessionId: row.sessionId, kind: row.kind, lastUsedAt: date(row.lastUsedAt) };
}

/** The live API key with this hash, with its user: null when unknown, revoked, expired, or the user inactive. */
export async function findApiKeyCaller(db: Db, keyHash: string, now: Date) {
  const rows = await db.$queryRaw<(UserColumns & { apiKeyId: string; lastUsedAt: Timestamp | null })[]>`
    SELECT k."id" AS "apiKeyId", k."lastUsedAt",
      u."id", u."email", u."username", u."name", u."firstName", u."lastName", u."image", u."role", u."isActive",
      u."emailVerified", u."createdAt", u."updatedAt", u."lastLoginAt", u."sessionVersion"
    FROM "ApiKey" k JOIN "User" u ON u."id" = k."userId"
    WHERE k."keyHash" = ${keyHash} AND k."revokedAt" IS NULL
      AND (k."expiresAt" IS NULL OR k."expiresAt" > ${now}) AND u."isActive" = true`;
  const row = rows[0];
  if (!row) return null;
  return { user: contextUser(row), apiKeyId: row.apiKeyId, lastUsedAt: optionalDate(row.lastUsedAt) };
}
