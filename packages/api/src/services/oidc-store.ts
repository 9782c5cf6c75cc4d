// What the oidc-provider library stores, on Prisma (both databases): one OidcPayload row per
// grant, code, token, session or interaction. The gateway's adapter (apps/web/src/oidc/adapter.ts)
// is a thin layer over these functions. Secrets the library hands over as ids (tokens, codes) and
// user codes are stored only as hashes; a grant's tokens are alive only while its AuthSession is.
import type { Db } from "@mastoc/db";
import { sha256 } from "./tokens";

/** The row key of one of the library's objects: no stored value can be presented as the token itself. */
export function oidcKey(model: string, id: string): string {
  return sha256(`${model}:${id}`);
}

/**
 * Objects found by user code or session uid are handed back with this id: the row's own key, since
 * the real id is not stored. The library saves them back under it (real ids never start with '#').
 */
const BY_KEY = "#key:";

/** Whether an id is one handed out by `findPayloadByUserCode` or `findPayloadByUid`. */
export function isStoredKeyId(id: string): boolean {
  return id.startsWith(BY_KEY);
}

function keyOf(model: string, id: string): string {
  return id.startsWith(BY_KEY) ? id.slice(BY_KEY.length) : oidcKey(model, id);
}

/** Models whose rows belong to a grant, and so to the grant's AuthSession. */
const GRANT_BOUND = new Set(["AccessToken", "RefreshToken", "AuthorizationCode", "DeviceCode", "Grant"]);

export type StoredPayload = Record<string, unknown>;

const SECRET_FIELDS = ["jti", "userCode"] as const;

export async function upsertPayload(
  db: Db,
  model: string,
  id: string,
  payload: StoredPayload,
  expiresInSeconds: number | undefined,
): Promise<void> {
  const key = keyOf(model, id);
  const grantId = typeof payload.grantId === "string" ? payload.grantId : model === "Grant" ? id : null;
  const userCode = typeof payload.userCode === "string" ? sha256(normaliseUserCode(payload.userCode)) : null;
  const uid = model === "Session" && typeof payload.uid === "string" ? payload.uid : null;
  const stored = Object.fromEntries(
    Object.entries(payload).filter(([field]) => !(SECRET_FIELDS as readonly string[]).includes(field)),
  );
  const expiresAt = expiresInSeconds ? new Date(Date.now() + expiresInSeconds * 1000) : null;
  // A token inherits the session of its grant, so revoking that session ends it.
  let sessionId: string | null = null;
  if (grantId && model !== "Grant" && GRANT_BOUND.has(model)) {
    const grant = await db.oidcPayload.findUnique({
      where: { key: oidcKey("Grant", grantId) },
      select: { sessionId: true },
    });
    sessionId = grant?.sessionId ?? null;
  }
  const data = {
    model,
    grantId,
    userCode,
    uid,
    payload: JSON.stringify(stored),
    expiresAt,
    ...(sessionId ? { sessionId } : {}),
  };
  await db.oidcPayload.upsert({ where: { key }, create: { key, ...data }, update: data });
}

type Row = {
  model: string;
  payload: string;
  expiresAt: Date | null;
  consumedAt: Date | null;
  sessionId: string | null;
  session: { revokedAt: Date | null; expiresAt: Date; user: { isActive: boolean } } | null;
};

const rowSelect = {
  model: true,
  payload: true,
  expiresAt: true,
  consumedAt: true,
  sessionId: true,
  userCode: true,
  session: { select: { revokedAt: true, expiresAt: true, user: { select: { isActive: true } } } },
} as const;

/**
 * The payload as the library stored it (with its id back), or undefined when it is unknown,
 * expired, or bound to a session that was revoked, has expired or whose user was deactivated.
 */
function revive(row: Row | null, id: string, userCode?: string): StoredPayload | undefined {
  if (!row) return undefined;
  const now = Date.now();
  // An expired device code is still handed over: the library answers its poll `expired_token`.
  if (row.expiresAt && row.expiresAt.getTime() <= now && row.model !== "DeviceCode") return undefined;
  if (row.sessionId) {
    const session = row.session;
    if (!session || session.revokedAt || session.expiresAt.getTime() <= now || !session.user.isActive) return undefined;
  }
  const payload = JSON.parse(row.payload) as StoredPayload;
  payload.jti = id;
  if (userCode) payload.userCode = userCode;
  if (row.consumedAt) payload.consumed = Math.floor(row.consumedAt.getTime() / 1000);
  return payload;
}

export async function findPayload(db: Db, model: string, id: string): Promise<StoredPayload | undefined> {
  const row = await db.oidcPayload.findUnique({ where: { key: keyOf(model, id) }, select: rowSelect });
  return revive(row, id);
}

/** The device flow's user codes are typed by people: compared without case, dashes or spaces. */
export function normaliseUserCode(userCode: string): string {
  return userCode.replace(/[\s-]/g, "").toUpperCase();
}

export async function findPayloadByUserCode(db: Db, userCode: string): Promise<StoredPayload | undefined> {
  const row = await db.oidcPayload.findUnique({
    where: { userCode: sha256(normaliseUserCode(userCode)) },
    select: { ...rowSelect, key: true },
  });
  if (!row || row.model !== "DeviceCode") return undefined;
  return revive(row, BY_KEY + row.key, userCode);
}

export async function findPayloadByUid(db: Db, uid: string): Promise<StoredPayload | undefined> {
  const row = await db.oidcPayload.findUnique({ where: { uid }, select: { ...rowSelect, key: true } });
  if (!row || row.model !== "Session") return undefined;
  return revive(row, BY_KEY + row.key);
}

/**
 * Marks a code or token used, decided by the database: of two concurrent exchanges exactly one
 * sees `true`; the other, and any later one, `false`.
 */
export async function consumePayload(db: Db, model: string, id: string): Promise<boolean> {
  const claimed = await db.oidcPayload.updateMany({
    where: { key: keyOf(model, id), consumedAt: null },
    data: { consumedAt: new Date() },
  });
  return claimed.count === 1;
}

export async function destroyPayload(db: Db, model: string, id: string): Promise<void> {
  const key = keyOf(model, id);
  if (model === "Grant") await endGrantSession(db, id, "oidc_grant_revoked");
  await db.oidcPayload.deleteMany({ where: { key } });
}

/** Deletes what a grant issued (of one model) and ends the grant's AuthSession. */
export async function revokeGrant(db: Db, model: string, grantId: string): Promise<void> {
  await endGrantSession(db, grantId, "oidc_grant_revoked");
  await db.oidcPayload.deleteMany({ where: { model, grantId } });
}

async function endGrantSession(db: Db, grantId: string, reason: string) {
  const grant = await db.oidcPayload.findUnique({
    where: { key: oidcKey("Grant", grantId) },
    select: { sessionId: true },
  });
  if (!grant?.sessionId) return;
  await db.authSession.updateMany({
    where: { id: grant.sessionId, revokedAt: null },
    data: { revokedAt: new Date(), revokedReason: reason },
  });
}

/** Binds a grant (and what it issues from now on) to the AuthSession it opened. */
export async function bindGrantToSession(db: Db, grantId: string, sessionId: string): Promise<void> {
  await db.oidcPayload.updateMany({ where: { grantId }, data: { sessionId } });
}

/** The AuthSession a grant belongs to, if any. */
export async function sessionOfGrant(db: Db, grantId: string): Promise<string | null> {
  const grant = await db.oidcPayload.findUnique({
    where: { key: oidcKey("Grant", grantId) },
    select: { sessionId: true },
  });
  return grant?.sessionId ?? null;
}

/** Deletes rows whose expiry passed (run now and then; lookups already ignore them). */
export async function pruneExpiredPayloads(db: Db, now = new Date()): Promise<number> {
  const deleted = await db.oidcPayload.deleteMany({ where: { expiresAt: { lt: now } } });
  return deleted.count;
}
