// Credential lookups asked in the same turn of the event loop share one statement, and each one
// still answers for itself, from the database as it stood when the lookup was asked.
import { describe, expect, it } from "vitest";
import type { Db } from "@mastoc/db";
import { getConfig } from "../src/config";
import { findApiKeyCaller, findSessionCaller } from "../src/services/caller-lookup";
import { createSession } from "../src/services/sessions";
import { sha256 } from "../src/services/tokens";
import { callerFor, createUser, signIn, useTestDatabase } from "./support";

const t = useTestDatabase();

/** The test database's client, counting the raw statements it runs. */
function counting(db: Db) {
  const counter = { statements: 0, db: db as Db };
  counter.db = db.$extends({
    query: {
      async $queryRaw({ args, query }) {
        counter.statements++;
        return query(args);
      },
    },
  }) as unknown as Db;
  return counter;
}

async function sessionOf(userId: string) {
  const session = await createSession(t.db, getConfig(), userId, "token", { ip: "203.0.113.7", userAgent: "test" });
  const { sessionVersion } = await t.db.user.findUniqueOrThrow({ where: { id: userId } });
  return { sid: session.id, sub: userId, sv: sessionVersion };
}

describe("session lookups", () => {
  it("asked together, are answered by one statement, each with its own session and user", async () => {
    const users = await Promise.all(Array.from({ length: 5 }, () => createUser(t.db)));
    const claims = (await Promise.all(users.flatMap((user) => [sessionOf(user.id), sessionOf(user.id)]))).flat();
    const counter = counting(t.db);
    const now = new Date();
    const found = await Promise.all(claims.map((claim) => findSessionCaller(counter.db, claim, now)));
    expect(counter.statements).toBe(1);
    expect(found.map((entry) => [entry?.sessionId, entry?.user.id, entry?.user.email, entry?.kind])).toEqual(
      claims.map((claim) => [claim.sid, claim.sub, users.find((user) => user.id === claim.sub)!.email, "token"]),
    );
    // One at a time, each lookup is a statement of its own.
    for (const claim of claims.slice(0, 3))
      expect(await findSessionCaller(counter.db, claim, new Date())).not.toBeNull();
    expect(counter.statements).toBe(4);
  });

  it("refuse, in the same statement as live ones, every session that is not live for its claims", async () => {
    const [user, other, inactive] = await Promise.all([createUser(t.db), createUser(t.db), createUser(t.db)]);
    const [live, revoked, expired, stale, inactiveSession] = await Promise.all([
      sessionOf(user.id),
      sessionOf(user.id),
      sessionOf(user.id),
      sessionOf(other.id),
      sessionOf(inactive.id),
    ]);
    const now = new Date();
    await t.db.authSession.update({ where: { id: revoked.sid }, data: { revokedAt: now } });
    await t.db.authSession.update({ where: { id: expired.sid }, data: { expiresAt: new Date(now.getTime() - 1) } });
    await t.db.user.update({ where: { id: other.id }, data: { sessionVersion: { increment: 1 } } });
    await t.db.user.update({ where: { id: inactive.id }, data: { isActive: false } });
    const counter = counting(t.db);
    const asked = [
      live,
      revoked,
      expired,
      stale,
      inactiveSession,
      { ...live, sub: other.id },
      { ...live, sv: live.sv + 1 },
      { ...live, sid: "no-such-session" },
      live,
    ];
    const found = await Promise.all(asked.map((claim) => findSessionCaller(counter.db, claim, now)));
    expect(counter.statements).toBe(1);
    expect(found.map((entry) => entry?.sessionId ?? null)).toEqual([
      live.sid,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      live.sid,
    ]);
    // Expiry is judged at each lookup's own time: the millisecond before it, the session was live.
    expect(await findSessionCaller(t.db, expired, new Date(now.getTime() - 2))).not.toBeNull();
  });

  it("see a revocation committed before they were asked, on the very next request", async () => {
    const user = await createUser(t.db);
    const { tokens, caller } = await signIn(t.db, user.email);
    const before = await Promise.all(
      Array.from({ length: 8 }, async () => (await callerFor(t.db, { token: tokens.access_token })).auth.me()),
    );
    expect(before.every((me) => me.id === user.id)).toBe(true);
    await caller.auth.logout();
    const after = await Promise.allSettled(
      Array.from({ length: 8 }, async () => (await callerFor(t.db, { token: tokens.access_token })).auth.me()),
    );
    expect(after.map((result) => result.status)).toEqual(Array(8).fill("rejected"));
  });

  it("more than a statement's worth are split across statements, every one answered", async () => {
    const user = await createUser(t.db);
    const claims = await Promise.all(Array.from({ length: 150 }, () => sessionOf(user.id)));
    const counter = counting(t.db);
    const found = await Promise.all(claims.map((claim) => findSessionCaller(counter.db, claim, new Date())));
    expect(counter.statements).toBe(3);
    expect(found.map((entry) => entry?.sessionId)).toEqual(claims.map((claim) => claim.sid));
  });
});

describe("API key lookups", () => {
  it("asked together, are answered by one statement, refusing revoked and expired keys", async () => {
    const [owner, inactive] = await Promise.all([createUser(t.db), createUser(t.db)]);
    const { caller } = await signIn(t.db, owner.email);
    const { caller: inactiveCaller } = await signIn(t.db, inactive.email);
    const keys = await Promise.all(
      ["live", "revoked", "expired", "also live"].map((name) => caller.apiKeys.create({ name, expiresInDays: 30 })),
    );
    const inactiveKey = await inactiveCaller.apiKeys.create({ name: "owner deactivated" });
    await caller.apiKeys.revoke({ id: keys[1]!.id });
    await t.db.apiKey.update({ where: { id: keys[2]!.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await t.db.user.update({ where: { id: inactive.id }, data: { isActive: false } });
    const counter = counting(t.db);
    const hashes = [...keys.map((key) => key.key), inactiveKey.key, `mk_${"0".repeat(43)}`].map(sha256);
    const found = await Promise.all(hashes.map((hash) => findApiKeyCaller(counter.db, hash, new Date())));
    expect(counter.statements).toBe(1);
    expect(found.map((entry) => entry?.apiKeyId ?? null)).toEqual([keys[0]!.id, null, null, keys[3]!.id, null, null]);
    expect(found[0]!.user.id).toBe(owner.id);
  });
});
