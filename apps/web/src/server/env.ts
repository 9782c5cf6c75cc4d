import { hkdfSync } from "node:crypto";
import { ConfigError, getConfig } from "@mastoc/api";

export type WebConfig = { nextAuthSecret: string; appUrl: string; secureCookies: boolean; sessionMaxAge: number };

let cached: WebConfig | undefined;

/**
 * The web app's own settings: NEXTAUTH_SECRET (derived from JWT_SECRET when unset, so one secret
 * is enough) and the public URL NextAuth builds its callbacks from.
 */
export function webConfig(): WebConfig {
  if (cached) return cached;
  const config = getConfig();
  const configured = process.env.NEXTAUTH_SECRET?.trim();
  if (configured && configured.length < 32) {
    throw new ConfigError(
      "NEXTAUTH_SECRET must be at least 32 characters (or leave it unset to derive it from JWT_SECRET).",
    );
  }
  const nextAuthSecret =
    configured ||
    Buffer.from(hkdfSync("sha256", config.JWT_SECRET, "mastoc", "nextauth-session", 32)).toString("base64url");
  process.env.NEXTAUTH_URL ??= config.APP_URL;
  cached = {
    nextAuthSecret,
    appUrl: config.APP_URL,
    secureCookies: config.APP_URL.startsWith("https://"),
    sessionMaxAge: config.REFRESH_TOKEN_EXPIRE_DAYS * 24 * 3600,
  };
  return cached;
}
