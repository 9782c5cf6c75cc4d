import { getConfig } from "@mastoc/api";

export type WebConfig = {
  nextAuthSecret: string;
  appUrl: string;
  secureCookies: boolean;
  sessionMaxAge: number;
  /** The cookie holding a sign-in's two-factor challenge between its two steps. */
  mfaCookie: string;
};

/** What NextAuth and the session cookie need, read from the one validated configuration. */
export function webConfig(): WebConfig {
  const config = getConfig();
  return {
    nextAuthSecret: config.NEXTAUTH_SECRET,
    appUrl: config.APP_URL,
    secureCookies: config.APP_URL.startsWith("https://"),
    sessionMaxAge: config.REFRESH_TOKEN_EXPIRE_DAYS * 24 * 3600,
    mfaCookie: config.APP_URL.startsWith("https://") ? "__Host-mastoc.mfa" : "mastoc.mfa",
  };
}
