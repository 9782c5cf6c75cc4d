import { hkdfSync, randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { dataDir } from "@mastoc/db";
import { z } from "zod";
import { LOCALES } from "./i18n/locales";

const int = (fallback: number, min: number, max: number) => z.coerce.number().int().min(min).max(max).default(fallback);

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: int(3000, 1, 65535),
  /** The address the portal listens on. */
  HOST: z.string().min(1).default("0.0.0.0"),
  /** Reverse proxies in front of the portal whose X-Forwarded-For entries are trusted (0: none). */
  TRUST_PROXY_HOPS: int(0, 0, 10),
  APP_URL: z.url({ error: "must be an absolute URL such as https://accounts.example.com" }).optional(),
  JWT_SECRET: z.string().min(32, "must be at least 32 characters (use `openssl rand -base64 48`)").optional(),
  /** The key of NextAuth's session cookies; derived from JWT_SECRET when unset, so one secret is enough. */
  NEXTAUTH_SECRET: z
    .string()
    .min(32, "must be at least 32 characters (or leave it unset to derive it from JWT_SECRET)")
    .optional(),
  /**
   * The key that encrypts two-factor secrets and keys the recovery-code hashes; derived from
   * JWT_SECRET when unset. Changing it (or JWT_SECRET when it is derived) voids every enrolment.
   */
  TWO_FACTOR_KEY: z
    .string()
    .min(32, "must be at least 32 characters (or leave it unset to derive it from JWT_SECRET)")
    .optional(),
  /**
   * The key that encrypts the OpenID provider's signing keys and cookie keys at rest; derived from
   * JWT_SECRET when unset. Changing it (or JWT_SECRET when it is derived) makes the stored keys
   * unreadable: the provider then generates new ones, and ID tokens signed before stop verifying.
   */
  OIDC_KEY_SECRET: z
    .string()
    .min(32, "must be at least 32 characters (or leave it unset to derive it from JWT_SECRET)")
    .optional(),
  /** The first administrator, created when the database has no user (both or neither). */
  MASTOC_ADMIN_EMAIL: z.string().optional(),
  MASTOC_ADMIN_PASSWORD: z.string().optional(),
  ACCESS_TOKEN_EXPIRE_MINUTES: int(30, 1, 24 * 60),
  REFRESH_TOKEN_EXPIRE_DAYS: int(7, 1, 365),
  MAX_LOGIN_ATTEMPTS: int(5, 1, 1000),
  ACCOUNT_LOCK_DURATION: int(900, 1, 7 * 24 * 3600),
  MAX_LOGIN_ATTEMPTS_PER_IP: int(100, 1, 1_000_000),
  MAX_REGISTRATIONS_PER_IP: int(20, 1, 1_000_000),
  RESET_TOKEN_EXPIRE_MINUTES: int(30, 1, 24 * 60),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, "must start with smtp:// or smtps://")
    .optional(),
  MAIL_FROM: z.string().min(3).default("mastoc accounts <no-reply@localhost>"),
  /** bcrypt cost; 12 unless a test that is not about hashing lowers it. */
  BCRYPT_COST: int(12, 4, 15),
  /** When true, an account whose email is not verified cannot sign in (a new link is mailed instead). */
  REQUIRE_VERIFIED_EMAIL: z.stringbool({ error: "must be true or false" }).default(false),
  /**
   * When true, an administrator without two-factor authentication or a passkey cannot use the
   * administrator's powers (API and pages) until they set one up; what every account may do stays open.
   */
  REQUIRE_ADMIN_2FA: z.stringbool({ error: "must be true or false" }).default(false),
  /** When true, a sign-in from an address and client not seen for the account in 90 days is mailed to its owner. */
  NOTIFY_NEW_SIGNIN: z.stringbool({ error: "must be true or false" }).default(true),
  /** Seconds in which a rotated refresh token may be presented again without counting as theft. */
  REFRESH_REUSE_GRACE_SECONDS: int(10, 0, 10),
  /** The language of a visitor whose account, cookie and browser name none this server speaks. */
  DEFAULT_LOCALE: z.enum(LOCALES, { error: `must be one of ${LOCALES.join(", ")}` }).default("en"),
});

export type Config = Omit<
  z.infer<typeof envSchema>,
  "APP_URL" | "JWT_SECRET" | "NEXTAUTH_SECRET" | "TWO_FACTOR_KEY" | "OIDC_KEY_SECRET"
> & {
  APP_URL: string;
  JWT_SECRET: string;
  NEXTAUTH_SECRET: string;
  TWO_FACTOR_KEY: string;
  OIDC_KEY_SECRET: string;
  dataDir: string;
};

/** Raised at startup for a configuration the server must not run with; the message names the variable. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

/**
 * A secret generated once and kept in the data directory (mode 0600) so sessions survive
 * restarts: used in development and tests when JWT_SECRET is unset, and by `pnpm start`, the
 * local start. A deployment configures JWT_SECRET.
 */
export function localSecret(dir: string): string {
  const file = join(dir, "jwt-secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const secret = randomBytes(48).toString("base64url");
  writeFileSync(file, secret + "\n", { mode: 0o600, flag: "wx" });
  chmodSync(file, 0o600);
  return secret;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const blank = (value: string | undefined) => (value?.trim() === "" ? undefined : value);
  const parsed = envSchema.safeParse(Object.fromEntries(Object.entries(env).map(([k, v]) => [k, blank(v)])));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const values = parsed.data;
  const dir = dataDir(env);
  let secret = values.JWT_SECRET;
  if (!secret) {
    if (values.NODE_ENV === "production") {
      throw new ConfigError(
        "JWT_SECRET is required in production (at least 32 characters, e.g. `openssl rand -base64 48`).",
      );
    }
    secret = localSecret(dir);
  }
  return {
    ...values,
    APP_URL: (values.APP_URL ?? `http://localhost:${values.PORT}`).replace(/\/+$/, ""),
    JWT_SECRET: secret,
    NEXTAUTH_SECRET:
      values.NEXTAUTH_SECRET ??
      Buffer.from(hkdfSync("sha256", secret, "mastoc", "nextauth-session", 32)).toString("base64url"),
    TWO_FACTOR_KEY:
      values.TWO_FACTOR_KEY ??
      Buffer.from(hkdfSync("sha256", secret, "mastoc", "two-factor", 32)).toString("base64url"),
    OIDC_KEY_SECRET:
      values.OIDC_KEY_SECRET ??
      Buffer.from(hkdfSync("sha256", secret, "mastoc", "oidc-keys", 32)).toString("base64url"),
    dataDir: dir,
  };
}

let cached: Config | undefined;

/** The process configuration, validated once. */
export function getConfig(): Config {
  cached ??= loadConfig();
  return cached;
}
