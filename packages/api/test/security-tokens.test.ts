// JWT hardening and API keys.
import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SignJWT, decodeJwt } from "jose";
import { describe, expect, it, vi } from "vitest";
import type { TRPCError } from "@trpc/server";
import { getConfig, loadConfig } from "../src/config";
import { textOf } from "../src/errors";
import { randomToken, verifyAccessToken } from "../src/services/tokens";
import { callerFor, createUser, rejection, signIn, useTestDatabase } from "./support";

const t = useTestDatabase();
const secret = () => new TextEncoder().encode(getConfig().JWT_SECRET);
const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
const meWith = async (token: string) => (await callerFor(t.db, { token })).auth.me();

describe("access tokens (ASVS V3.5.3)", () => {
  it("carry sub, role, sid, jti and type access, signed HS256", async () => {
    const user = await createUser(t.db);
    const { tokens } = await signIn(t.db, user.email);
    const claims = decodeJwt(tokens.access_token);
    expect(claims).toMatchObject({ sub: user.id, role: "USER", type: "access", iss: "mastoc-accounts" });
    expect(typeof claims.sid).toBe("string");
    expect(typeof claims.jti).toBe("string");
    expect(claims.exp! - claims.iat!).toBe(30 * 60);
    expect(JSON.parse(Buffer.from(tokens.access_token.split(".")[0]!, "base64url").toString())).toEqual({
      alg: "HS256",
      typ: "JWT",
    });
  });

  it("alg: none is refused", async () => {
    const user = await createUser(t.db);
    const { tokens } = await signIn(t.db, user.email);
    const [, payload] = tokens.access_token.split(".");
    await rejection(meWith(`${b64({ alg: "none", typ: "JWT" })}.${payload}.`), "UNAUTHORIZED");
  });

  it("another algorithm with the same secret (HS512) is refused", async () => {
    const user = await createUser(t.db);
    const { tokens } = await signIn(t.db, user.email);
    const claims = decodeJwt(tokens.access_token);
    const forged = await new SignJWT(claims).setProtectedHeader({ alg: "HS512" }).sign(secret());
    await rejection(meWith(forged), "UNAUTHORIZED");
  });

  it("a tampered payload (role raised to ADMIN) is refused", async () => {
    const user = await createUser(t.db);
    const { tokens } = await signIn(t.db, user.email);
    const [header, payload, signature] = tokens.access_token.split(".");
    const raised = b64({ ...JSON.parse(Buffer.from(payload!, "base64url").toString()), role: "ADMIN" });
    await rejection(meWith(`${header}.${raised}.${signature}`), "UNAUTHORIZED");
  });

  it("a token of another type, an expired token and a token signed with another secret are refused", async () => {
    const user = await createUser(t.db);
    const { tokens } = await signIn(t.db, user.email);
    const claims = decodeJwt(tokens.access_token);
    const sign = (extra: object, key = secret()) =>
      new SignJWT({ ...claims, ...extra }).setProtectedHeader({ alg: "HS256" }).sign(key);
    await rejection(meWith(await sign({ type: "refresh" })), "UNAUTHORIZED");
    await rejection(meWith(await sign({ exp: Math.floor(Date.now() / 1000) - 60 })), "UNAUTHORIZED");
    await rejection(
      meWith(await sign({}, new TextEncoder().encode("another-secret-another-secret-another-secret"))),
      "UNAUTHORIZED",
    );
    // The same claims, signed properly, work: the refusals above are about what was changed.
    expect((await meWith(await sign({}))).id).toBe(user.id);
  });

  it("a malformed Authorization header is refused with a clear message", async () => {
    const error = await rejection(
      (await callerFor(t.db, { headers: { authorization: "Token abc" } })).auth.me(),
      "UNAUTHORIZED",
    );
    expect(error.message).toContain("Malformed Authorization header");
  });
});

describe("verified access tokens are remembered, never trusted beyond what jose verified", () => {
  it("a token verified once still expires on time, and a revoked session still ends it", async () => {
    const user = await createUser(t.db);
    const { tokens } = await signIn(t.db, user.email);
    const { exp } = decodeJwt(tokens.access_token);
    expect(await verifyAccessToken(tokens.access_token, getConfig().JWT_SECRET)).toMatchObject({ sub: user.id });
    vi.useFakeTimers({ toFake: ["Date"], now: (exp! + 1) * 1000 });
    try {
      expect(await verifyAccessToken(tokens.access_token, getConfig().JWT_SECRET)).toBeNull();
    } finally {
      vi.useRealTimers();
    }
    const fresh = (await signIn(t.db, user.email)).tokens.access_token;
    expect((await meWith(fresh)).id).toBe(user.id);
    await (await callerFor(t.db, { token: fresh })).auth.logout(undefined);
    await rejection(meWith(fresh), "UNAUTHORIZED");
  });

  it("after the genuine token was accepted, every altered copy of it is still refused", async () => {
    const user = await createUser(t.db);
    const { tokens } = await signIn(t.db, user.email);
    expect((await meWith(tokens.access_token)).id).toBe(user.id);
    const [header, payload, signature] = tokens.access_token.split(".");
    const raised = b64({ ...JSON.parse(Buffer.from(payload!, "base64url").toString()), role: "ADMIN" });
    const flipped = signature!.slice(0, -2) + (signature!.endsWith("AA") ? "AB" : "AA");
    await rejection(meWith(`${header}.${raised}.${signature}`), "UNAUTHORIZED");
    await rejection(meWith(`${header}.${payload}.${flipped}`), "UNAUTHORIZED");
    await rejection(meWith(`${tokens.access_token} `.trim() + "x"), "UNAUTHORIZED");
  });

  it("a token remembered under one secret is refused once the secret changes", async () => {
    const user = await createUser(t.db);
    const { tokens } = await signIn(t.db, user.email);
    const current = getConfig().JWT_SECRET;
    expect(await verifyAccessToken(tokens.access_token, current)).toMatchObject({ sub: user.id });
    expect(await verifyAccessToken(tokens.access_token, `${current}-rotated`)).toBeNull();
    expect(await verifyAccessToken(tokens.access_token, current)).toMatchObject({ sub: user.id });
  });

  it("many distinct tokens keep working past the cache's size (the oldest are verified again)", async () => {
    const user = await createUser(t.db);
    const { tokens } = await signIn(t.db, user.email);
    const claims = decodeJwt(tokens.access_token);
    const first = await new SignJWT({ ...claims, jti: "first" }).setProtectedHeader({ alg: "HS256" }).sign(secret());
    expect(await verifyAccessToken(first, getConfig().JWT_SECRET)).toMatchObject({ jti: "first" });
    for (let index = 0; index < 2100; index++) {
      const token = await new SignJWT({ ...claims, jti: `n${index}` })
        .setProtectedHeader({ alg: "HS256" })
        .sign(secret());
      expect(await verifyAccessToken(token, getConfig().JWT_SECRET)).not.toBeNull();
    }
    expect(await verifyAccessToken(first, getConfig().JWT_SECRET)).toMatchObject({ jti: "first" });
  });
});

describe("opaque tokens", () => {
  it("are 256-bit base64url and never start with '-' (a command line would take them for an option)", () => {
    // One draw in 64 starts with '-': 4,000 draws without a redraw would leave about 60 of them.
    const tokens = Array.from({ length: 4000 }, () => randomToken());
    for (const token of tokens) expect(token).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{42}$/);
    expect(new Set(tokens).size).toBe(tokens.length);
    expect(tokens.some((token) => token.slice(1).includes("-"))).toBe(true);
  });
});

describe("JWT_SECRET (ASVS V6.4.1)", () => {
  it("is generated once in development, kept 0600 in the data directory and reused", () => {
    const dir = mkdtempSync(join(tmpdir(), "mastoc-secret-"));
    const env = { NODE_ENV: "development", MASTOC_DATA_DIR: dir } as NodeJS.ProcessEnv;
    const first = loadConfig(env).JWT_SECRET;
    expect(first.length).toBeGreaterThanOrEqual(48);
    expect(statSync(join(dir, "jwt-secret")).mode & 0o777).toBe(0o600);
    expect(loadConfig(env).JWT_SECRET).toBe(first);
    expect(readFileSync(join(dir, "jwt-secret"), "utf8").trim()).toBe(first);
  });

  it("is required in production, and a short one is refused, naming the variable", () => {
    expect(() => loadConfig({ NODE_ENV: "production" } as NodeJS.ProcessEnv)).toThrow(
      /JWT_SECRET is required in production/,
    );
    expect(() => loadConfig({ NODE_ENV: "production", JWT_SECRET: "short" } as NodeJS.ProcessEnv)).toThrow(
      /JWT_SECRET: must be at least 32 characters/,
    );
    expect(() => loadConfig({ MAX_LOGIN_ATTEMPTS: "many" } as NodeJS.ProcessEnv)).toThrow(/MAX_LOGIN_ATTEMPTS/);
  });
});

describe("API keys (ASVS V2.10, V13.1)", () => {
  it("are shown once with the mk_ prefix, stored as a SHA-256 hash, and work as X-API-Key and as Bearer", async () => {
    const user = await createUser(t.db);
    const { caller } = await signIn(t.db, user.email);
    const created = await caller.apiKeys.create({ name: "backup script", expiresInDays: 30 });
    expect(created.key).toMatch(/^mk_[A-Za-z0-9_-]{43}$/);
    const stored = await t.db.apiKey.findUniqueOrThrow({ where: { id: created.id } });
    expect(stored.keyHash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored.keyHash).not.toContain(created.key);
    expect(JSON.stringify(await caller.apiKeys.list())).not.toContain(created.key);
    expect((await (await callerFor(t.db, { apiKey: created.key })).auth.me()).id).toBe(user.id);
    expect((await meWith(created.key)).id).toBe(user.id);
    const status = await (await callerFor(t.db, { apiKey: created.key })).auth.status();
    expect(status.via).toBe("apiKey");
    expect((await t.db.apiKey.findUniqueOrThrow({ where: { id: created.id } })).lastUsedAt).toBeInstanceOf(Date);
  });

  it("a revoked key and an expired key are refused", async () => {
    const user = await createUser(t.db);
    const { caller } = await signIn(t.db, user.email);
    const revoked = await caller.apiKeys.create({ name: "old" });
    await caller.apiKeys.revoke({ id: revoked.id });
    await rejection((await callerFor(t.db, { apiKey: revoked.key })).auth.me(), "UNAUTHORIZED");
    const expiring = await caller.apiKeys.create({ name: "short", expiresInDays: 1 });
    await t.db.apiKey.update({ where: { id: expiring.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await rejection((await callerFor(t.db, { apiKey: expiring.key })).auth.me(), "UNAUTHORIZED");
  });

  it("are at most 25 active per user, refused with a message in every language", async () => {
    const user = await createUser(t.db);
    const { caller } = await signIn(t.db, user.email);
    for (let index = 0; index < 25; index++) await caller.apiKeys.create({ name: `key ${index}` });
    const refused = await rejection(caller.apiKeys.create({ name: "one too many" }), "CONFLICT");
    expect(refused.message).toBe("You already have 25 active keys; revoke one first");
    expect(textOf(refused as TRPCError)("fr")).toBe("Vous avez déjà 25 clés actives\u00a0; révoquez-en une d’abord");
    expect(await t.db.apiKey.count({ where: { userId: user.id } })).toBe(25);
  });

  it("stay at 25 when many are created at once", async () => {
    const user = await createUser(t.db);
    const { caller } = await signIn(t.db, user.email);
    for (let index = 0; index < 20; index++) await caller.apiKeys.create({ name: `key ${index}` });
    const results = await Promise.allSettled(
      Array.from({ length: 12 }, (_, index) => caller.apiKeys.create({ name: `burst ${index}` })),
    );
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(5);
    for (const result of results) {
      if (result.status === "rejected") expect((result.reason as TRPCError).code).toBe("CONFLICT");
    }
    expect(await t.db.apiKey.count({ where: { userId: user.id, revokedAt: null } })).toBe(25);
  });

  it("are never more powerful than the owner's current role", async () => {
    const [admin, owner] = [await createUser(t.db, { role: "ADMIN" }), await createUser(t.db, { role: "ADMIN" })];
    const { key } = await (await signIn(t.db, owner.email)).caller.apiKeys.create({ name: "admin script" });
    expect((await (await callerFor(t.db, { apiKey: key })).admin.listUsers({})).total).toBeGreaterThan(0);
    await (await signIn(t.db, admin.email)).caller.admin.setRole({ id: owner.id, role: "USER" });
    await rejection((await callerFor(t.db, { apiKey: key })).admin.listUsers({}), "FORBIDDEN");
  });

  it("cannot create or list keys (a leaked key cannot outlive its revocation)", async () => {
    const user = await createUser(t.db);
    const { key } = await (await signIn(t.db, user.email)).caller.apiKeys.create({ name: "ci" });
    const viaKey = await callerFor(t.db, { apiKey: key });
    await rejection(viaKey.apiKeys.create({ name: "persist" }), "FORBIDDEN");
    await rejection(viaKey.apiKeys.list(), "FORBIDDEN");
  });

  it("an unknown key is refused, and a bad expiry or name is BAD_REQUEST", async () => {
    await rejection((await callerFor(t.db, { apiKey: "mk_unknown" })).auth.me(), "UNAUTHORIZED");
    const { caller } = await signIn(t.db, (await createUser(t.db)).email);
    await rejection(caller.apiKeys.create({ name: "" }), "BAD_REQUEST");
    await rejection(caller.apiKeys.create({ name: "x", expiresInDays: 0 }), "BAD_REQUEST");
  });
});
