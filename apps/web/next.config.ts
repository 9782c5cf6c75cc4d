import type { NextConfig } from "next";

const config: NextConfig = {
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
  reactStrictMode: true,
  // forbidden() renders app/forbidden.tsx with HTTP 403.
  experimental: { authInterrupts: true },
  // Security headers, the Content-Security-Policy (a fresh script nonce per page) and HSTS are set by
  // src/node/guard.ts, which sees every request before Next does.
};

export default config;
