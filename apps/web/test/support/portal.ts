// Runs the real portal (the production build, server.mjs) on a free port with its own data
// directory and database, for HTTP, browser and CLI tests.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { DatabaseConfig } from "@mastoc/db";
import { createScratchDatabase, type ScratchDatabase } from "@mastoc/db/testing";
import { serverNodeFlags } from "../../scripts/node-flags.mjs";

const webDir = resolve(import.meta.dirname, "..", "..");

export const ADMIN_EMAIL = "root-admin@example.com";
export const ADMIN_PASSWORD = "Bootstrap-Admin-Ledge-77";
/** The JWT_SECRET of test portals, so tests can mint tokens the portal accepts. */
export const PORTAL_JWT_SECRET = "portal-test-secret-0123456789-abcdefghijklmnop";

/** Ports handed out in this process: never twice, since fetch may still pool a connection to a stopped portal on it. */
const portsGiven = new Set<number>();

export async function freePort(): Promise<number> {
  for (;;) {
    const port = await anyFreePort();
    if (!portsGiven.has(port)) {
      portsGiven.add(port);
      return port;
    }
  }
}

function anyFreePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolvePort(typeof address === "object" && address ? address.port : 0));
    });
  });
}

export type Portal = {
  url: string;
  /** The public URL (APP_URL): `url`, or the same port under `publicHost`. */
  publicUrl: string;
  dataDir: string;
  provider: "sqlite" | "postgresql";
  databaseUrl: string;
  /** The portal's database, for tests that prepare or inspect data directly. */
  database: DatabaseConfig;
  logs: () => string;
  stop: () => Promise<void>;
};

export type PortalOptions = {
  provider?: "sqlite" | "postgresql";
  /** Share another portal's PostgreSQL database (several instances, one database). */
  sharedDatabaseUrl?: string;
  env?: Record<string, string>;
  /** Bounded wait for the server to answer. */
  readyTimeoutMs?: number;
  /**
   * The host name of APP_URL (default 127.0.0.1): `localhost` for passkeys, whose relying party
   * must be a domain name, not an IP address. The server still listens on 127.0.0.1.
   */
  publicHost?: string;
};

async function waitUntilReady(url: string, child: ChildProcess, output: () => string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`portal exited with ${child.exitCode}:\n${output()}`);
    try {
      const response = await fetch(`${url}/api/trpc/auth.status`, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new Error(`portal did not answer within ${timeoutMs} ms:\n${output()}`);
}

export async function startPortal(options: PortalOptions = {}): Promise<Portal> {
  const provider = options.provider ?? (process.env.TEST_DATABASE === "postgresql" ? "postgresql" : "sqlite");
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), "mastoc-portal-"));
  let scratch: ScratchDatabase | null = null;
  let databaseUrl = `file:${join(dataDir, "mastoc.db")}`;
  if (options.sharedDatabaseUrl) {
    databaseUrl = options.sharedDatabaseUrl;
  } else if (provider === "postgresql") {
    scratch = await createScratchDatabase("postgresql");
    databaseUrl = scratch.config.url;
  }
  const url = `http://127.0.0.1:${port}`;
  const publicUrl = `http://${options.publicHost ?? "127.0.0.1"}:${port}`;
  let output = "";
  const child = spawn(process.execPath, [...serverNodeFlags, "server.mjs"], {
    cwd: webDir,
    env: {
      ...process.env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      PORT: String(port),
      HOST: "127.0.0.1",
      APP_URL: publicUrl,
      MASTOC_DATA_DIR: dataDir,
      DATABASE_URL: databaseUrl,
      JWT_SECRET: PORTAL_JWT_SECRET,
      MASTOC_ADMIN_EMAIL: ADMIN_EMAIL,
      MASTOC_ADMIN_PASSWORD: ADMIN_PASSWORD,
      BCRYPT_COST: "4",
      ...options.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  try {
    await waitUntilReady(url, child, () => output, options.readyTimeoutMs ?? 60_000);
  } catch (error) {
    child.kill("SIGKILL");
    await scratch?.drop();
    throw error;
  }
  return {
    url,
    publicUrl,
    dataDir,
    provider,
    databaseUrl,
    database:
      provider === "postgresql" ? { provider, url: databaseUrl } : { provider, url: join(dataDir, "mastoc.db") },
    logs: () => output,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((done) => child.once("exit", done));
        child.kill("SIGTERM");
        await Promise.race([exited, new Promise((done) => setTimeout(done, 5000))]);
        if (child.exitCode === null) child.kill("SIGKILL");
      }
      await scratch?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
