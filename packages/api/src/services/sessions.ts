import type { Db } from "@mastoc/db";
import type { Config } from "../config";
import type { RoleName } from "../permissions";
import { contextUserSelect } from "../selects";
import { recordAudit } from "./audit";
import { findOidcTokenCaller, findSessionCaller } from "./caller-lookup";
import { oidcKey } from "./oidc-store";
import { randomToken, sha256, signAccessToken } from "./tokens";
import { apiError, said } from "../errors";

export type RequestMeta = { ip: string | null; userAgent: string | null };
export type SessionKind = "web" | "token" | "oidc";

export type TokenResponse = {
  access_token: string;
  refresh_token: string;
  token_type: "bearer";
  expires_in: number;
};

const DAY = 24 * 3600 * 1000;
/** `lastUsedAt` is written at most this often per session, so a busy session costs no write per request. */
const TOUCH_INTERVAL_MS = 60_000;

/**
 * Moves the user's `lastActiveAt` forward to `at`, never back (another instance may have written a
 * later time). A statement of its own, after the session's write: taking the user's row while the
 * session's is held would invert the order in which deleting a user locks them (user, then its
 * sessions) and could deadlock. `updatedAt` is left alone: activity is not a change of the account.
 */
export async function markActive(db: Db, userId: string, at: Date): Promise<void> {
  await db.$executeRaw`UPDATE "User" SET "lastActiveAt" = ${at}
    WHERE "id" = ${userId} AND ("lastActiveAt" IS NULL OR "lastActiveAt" < ${at})`;
}

/** Writes a session's `lastUsedAt` (and whatever else `data` says) and marks its user active. */
async function touchSession(
  db: Db,
  session: { id: string; userId: string },
  now: Date,
  data: { ip?: string; expiresAt?: Date } = {},
): Promise<void> {
  await db.authSession.update({ where: { id: session.id }, data: { ...data, lastUsedAt: now }, select: { id: true } });
  await markActive(db, session.userId, now);
}

export async function createSession(
  db: Db,
  config: Config,
  userId: string,
  kind: SessionKind,
  meta: RequestMeta,
  clientId: string | null = null,
): Promise<{ id: string }> {
  const now = new Date();
  const session = await db.authSession.create({
    data: {
      userId,
      kind,
      clientId,
      ip: meta.ip,
      userAgent: meta.userAgent?.slice(0, 300) ?? null,
      createdAt: now,
      lastUsedAt: now,
      expiresAt: new Date(now.getTime() + config.REFRESH_TOKEN_EXPIRE_DAYS * DAY),
    },
    select: { id: true },
  });
  await markActive(db, userId, now);
  return session;
}

/** Issues an access token and a new refresh token (child of `parentId` when rotating) for a session. */
export async function issueTokens(
  db: Db,
  config: Config,
  user: { id: string; role: RoleName; sessionVersion: number },
  sessionId: string,
  parentId: string | null = null,
): Promise<TokenResponse> {
  const refreshToken = randomToken();
  const expiresAt = new Date(Date.now() + config.REFRESH_TOKEN_EXPIRE_DAYS * DAY);
  await db.refreshToken.create({ data: { sessionId, tokenHash: sha256(refreshToken), parentId, expiresAt } });
  const lifetime = config.ACCESS_TOKEN_EXPIRE_MINUTES * 60;
  const accessToken = await signAccessToken(
    { sub: user.id, role: user.role, sid: sessionId, sv: user.sessionVersion },
    config.JWT_SECRET,
    lifetime,
  );
  return { access_token: accessToken, refresh_token: refreshToken, token_type: "bearer", expires_in: lifetime };
}

const invalidRefresh = () => apiError("UNAUTHORIZED", said("auth.invalidRefreshToken"));

/**
 * Exchanges a refresh token for a new pair (rotation). A token presented again after it was
 * rotated is a replay: within the grace window (two processes of one client refreshing at once)
 * it gets a pair of its own; after it, the whole session (the token family) is revoked.
 */
export async function rotateRefreshToken(
  db: Db,
  config: Config,
  presented: string,
  meta: RequestMeta,
): Promise<TokenResponse & { userId: string }> {
  const now = new Date();
  const token = await db.refreshToken.findUnique({
    where: { tokenHash: sha256(presented) },
    select: {
      id: true,
      rotatedAt: true,
      expiresAt: true,
      session: {
        select: { id: true, kind: true, revokedAt: true, expiresAt: true, user: { select: contextUserSelect } },
      },
    },
  });
  if (!token || token.session.kind !== "token") throw invalidRefresh();
  const { session } = token;
  if (session.revokedAt || session.expiresAt <= now || token.expiresAt <= now || !session.user.isActive) {
    throw invalidRefresh();
  }

  let rotatedAt = token.rotatedAt;
  if (!rotatedAt) {
    const claimed = await db.refreshToken.updateMany({
      where: { id: token.id, rotatedAt: null },
      data: { rotatedAt: now },
    });
    if (claimed.count === 0) {
      rotatedAt =
        (await db.refreshToken.findUnique({ where: { id: token.id }, select: { rotatedAt: true } }))?.rotatedAt ?? now;
    }
  }
  if (rotatedAt && now.getTime() - rotatedAt.getTime() > config.REFRESH_REUSE_GRACE_SECONDS * 1000) {
    await revokeSession(db, session.id, "refresh_token_reuse");
    await recordAudit(db, {
      action: "auth.refresh.reuse_detected",
      actor: { id: session.user.id, email: session.user.email },
      targetType: "session",
      targetId: session.id,
      ip: meta.ip,
      userAgent: meta.userAgent,
    });
    throw invalidRefresh();
  }
  await touchSession(db, { id: session.id, userId: session.user.id }, now, {
    ip: meta.ip ?? undefined,
    expiresAt: new Date(now.getTime() + config.REFRESH_TOKEN_EXPIRE_DAYS * DAY),
  });
  const tokens = await issueTokens(db, config, session.user, session.id, token.id);
  return { ...tokens, userId: session.user.id };
}

export async function revokeSession(db: Db, sessionId: string, reason: string): Promise<boolean> {
  const result = await db.authSession.updateMany({
    where: { id: sessionId, revokedAt: null },
    data: { revokedAt: new Date(), revokedReason: reason },
  });
  return result.count > 0;
}

/**
 * Ends every session of a user (except `exceptSessionId`) and bumps the session version, so that
 * access tokens and web sessions already issued stop working on their next request.
 */
export async function revokeUserSessions(
  db: Db,
  userId: string,
  reason: string,
  exceptSessionId: string | null = null,
): Promise<number> {
  const result = await db.authSession.updateMany({
    where: { userId, revokedAt: null, ...(exceptSessionId ? { id: { not: exceptSessionId } } : {}) },
    data: { revokedAt: new Date(), revokedReason: reason },
  });
  if (!exceptSessionId) await db.user.update({ where: { id: userId }, data: { sessionVersion: { increment: 1 } } });
  return result.count;
}

export type SessionClaims = { sid: string; sub: string; sv: number };

/** When the session was signed in to: the time its owner last proved who they are in it. */
export async function sessionSignedInAt(db: Db, sessionId: string): Promise<Date | null> {
  const session = await db.authSession.findUnique({ where: { id: sessionId }, select: { createdAt: true } });
  return session?.createdAt ?? null;
}

/**
 * The caller behind an access token of the OpenID provider (opaque: it has no dots, unlike the
 * API's own JWTs), checked like a session: its grant's session must be live.
 */
export async function resolveOidcAccessToken(db: Db, token: string) {
  const found = await findOidcTokenCaller(db, oidcKey("AccessToken", token));
  if (!found) return null;
  const now = new Date();
  if (now.getTime() - found.lastUsedAt.getTime() > TOUCH_INTERVAL_MS) {
    await touchSession(db, { id: found.sessionId, userId: found.user.id }, now);
  }
  return { user: found.user, session: { id: found.sessionId, kind: "oidc" as SessionKind } };
}

/**
 * The caller behind a session id (from an access token or a NextAuth JWT), checked against the
 * database in one statement, plus a `lastUsedAt` write at most once a minute.
 */
export async function resolveSession(db: Db, claims: SessionClaims) {
  const now = new Date();
  const found = await findSessionCaller(db, claims, now);
  if (!found) return null;
  if (now.getTime() - found.lastUsedAt.getTime() > TOUCH_INTERVAL_MS) {
    await touchSession(db, { id: found.sessionId, userId: found.user.id }, now);
  }
  return { user: found.user, session: { id: found.sessionId, kind: found.kind as SessionKind } };
}
