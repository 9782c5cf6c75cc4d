// Test helpers for API tests: a real database per test file (SQLite or PostgreSQL, from
// TEST_DATABASE), callers with any credential, and factories that make unique users.
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { simpleParser } from "mailparser";
import sharp from "sharp";
import { afterAll, beforeAll } from "vitest";
import { createDatabase, type Db } from "@mastoc/db";
import { migrate } from "@mastoc/db/migrate";
import { createScratchDatabase, type ScratchDatabase } from "@mastoc/db/testing";
import type { Role } from "@mastoc/db";
import { getConfig, type Config } from "../src/config";
import { createContext } from "../src/context";
import { createCaller } from "../src/root";
import { closePasswordWorkers, hashPassword } from "../src/services/passwords";

export const provider = (process.env.TEST_DATABASE ?? "sqlite") as "sqlite" | "postgresql";

/** A strong password every test user has unless a test says otherwise. */
export const PASSWORD = "Granite-Overhang-Crimp-42";

/** Opens a fresh migrated database for the test file and closes it afterwards. */
export function useTestDatabase() {
  const state = {} as { db: Db; scratch: ScratchDatabase };
  beforeAll(async () => {
    state.scratch = await createScratchDatabase(provider);
    await migrate(state.scratch.config);
    state.db = createDatabase(state.scratch.config).db;
  });
  afterAll(async () => {
    await state.db?.$disconnect();
    await state.scratch?.drop();
    await closePasswordWorkers();
  });
  return {
    get db() {
      return state.db;
    },
  };
}

export type CallerOptions = {
  token?: string;
  apiKey?: string;
  headers?: Record<string, string>;
  ip?: string;
  userAgent?: string;
  webSession?: { sid: string; sub: string; sv: number } | null;
  config?: Partial<Config>;
};

/** The request context of a caller with these credentials, as a server would resolve it. */
export async function contextFor(db: Db, options: CallerOptions = {}) {
  const headers = new Headers(options.headers);
  if (options.token) headers.set("authorization", `Bearer ${options.token}`);
  if (options.apiKey) headers.set("x-api-key", options.apiKey);
  return createContext({
    db,
    headers,
    meta: { ip: options.ip ?? "203.0.113.10", userAgent: options.userAgent ?? "vitest" },
    webSession: options.webSession ?? null,
    config: { ...getConfig(), ...options.config },
  });
}

export async function callerFor(db: Db, options: CallerOptions = {}) {
  return createCaller(await contextFor(db, options));
}

export const unique = (label = "user") => `${label}${randomBytes(5).toString("hex")}`;

/** Creates a user directly in the database (with a real bcrypt hash at the test cost). */
export async function createUser(
  db: Db,
  options: { role?: Role; password?: string; isActive?: boolean; email?: string } = {},
) {
  const username = unique();
  return db.user.create({
    data: {
      email: options.email ?? `${username}@example.com`,
      username,
      name: `Test ${username}`,
      role: options.role ?? "USER",
      isActive: options.isActive ?? true,
      passwordHash: await hashPassword(options.password ?? PASSWORD, getConfig().BCRYPT_COST),
    },
    select: { id: true, email: true, username: true, role: true },
  });
}

/** The token response of an `auth.login` that must not ask for a second factor. */
export function tokensOf<T extends object>(result: T): Exclude<T, { mfa_required: true }> {
  if ("mfa_required" in result) throw new Error("expected tokens, got a two-factor challenge");
  return result as Exclude<T, { mfa_required: true }>;
}

/** Signs a user in over `auth.login` and returns the token response and a caller using its access token. */
export async function signIn(db: Db, email: string, password = PASSWORD, options: CallerOptions = {}) {
  const tokens = tokensOf(await (await callerFor(db, options)).auth.login({ email, password }));
  return { tokens, caller: await callerFor(db, { ...options, token: tokens.access_token }) };
}

/** Expects a promise to reject with a tRPC error of `code`; returns the error. */
export async function rejection(promise: Promise<unknown>, code: string) {
  try {
    await promise;
  } catch (error) {
    const trpcCode = (error as { code?: string }).code;
    if (trpcCode !== code) throw new Error(`expected ${code}, got ${trpcCode}: ${(error as Error).message}`);
    return error as Error & { code: string; cause?: unknown };
  }
  throw new Error(`expected ${code}, but the call succeeded`);
}

/** Real images of each accepted type (a JPEG with EXIF metadata that must not survive). */
export async function sampleImages() {
  const source = () =>
    sharp({ create: { width: 400, height: 300, channels: 3, background: { r: 200, g: 60, b: 30 } } });
  return {
    png: await source().png().toBuffer(),
    jpeg: await source()
      .jpeg()
      .withMetadata({ exif: { IFD0: { Copyright: "secret-location" } } })
      .toBuffer(),
    webp: await source().webp().toBuffer(),
    gif: await source().gif().toBuffer(),
  };
}

/**
 * Waits (bounded) until the outbox holds `count` mails to `to` whose subject matches (mail is sent
 * in the background), and returns the newest raw (its files are named by the time they were written).
 */
export async function mailTo(to: string, subject: RegExp, { count = 1, timeoutMs = 10_000 } = {}): Promise<string> {
  const outbox = join(getConfig().dataDir, "outbox");
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    let files: string[] = [];
    try {
      files = readdirSync(outbox).sort().reverse();
    } catch {
      // not created yet
    }
    const matching = files
      .map((file) => readFileSync(join(outbox, file), "utf8"))
      .filter((text) => text.includes(`To: ${to}`) && subject.test(text));
    if (matching.length >= count) return matching[0]!;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no mail to ${to} matching ${subject} within ${timeoutMs} ms`);
}

/** The link to `page` in a mail, read with a real MIME parser (the body is quoted-printable). */
export async function linkIn(page: string, raw: string) {
  const text = (await simpleParser(raw)).text ?? "";
  const link = new RegExp(`(https?://\\S+/${page}\\?token=)(\\S+)`).exec(text);
  if (!link) throw new Error(`no ${page} link in ${text}`);
  return { base: link[1]!, token: decodeURIComponent(link[2]!) };
}
