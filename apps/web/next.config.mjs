// Plain JavaScript, so that the production server loads it as it is: a TypeScript config would
// have Next load its SWC compiler (about 24 MB of memory) at every start just to read it.
import createNextIntlPlugin from "next-intl/plugin";

/** @type {import("next").NextConfig} */
const config = {
  // The workspace packages ship TypeScript source.
  transpilePackages: ["@mastoc/api", "@mastoc/db"],
  // Native modules, worker threads and binaries stay as runtime requires.
  serverExternalPackages: [
    "better-sqlite3",
    "@prisma/adapter-better-sqlite3",
    "@prisma/adapter-pg",
    "@prisma/client",
    "pg",
    "piscina",
    "bcryptjs",
    "dbmate",
    "nodemailer",
    "sharp",
  ],
  poweredByHeader: false,
  // Metadata (the page title) in the <head> of every page, for every client: Next would otherwise
  // stream it in after the content, and a screen reader or a tab would meet a page without a title.
  htmlLimitedBots: /.*/,
  reactStrictMode: true,
  // forbidden() renders app/forbidden.tsx with HTTP 403.
  experimental: { authInterrupts: true },
  // Security headers, the Content-Security-Policy (a fresh script nonce per page) and HSTS are set by
  // src/gateway/request-guard.ts, which sees every request before Next does.
};

// next-intl reads each page's locale and messages from src/i18n/request.ts.
export default createNextIntlPlugin("./src/i18n/request.ts")(config);
