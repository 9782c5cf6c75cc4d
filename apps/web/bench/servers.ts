// The servers the bench measures, each in its own process: the production portal (apps/web's
// server.mjs, as tests and deployments start it), the raw floor, and the README's `pnpm start`.
import { spawn } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { serverNodeFlags } from "../scripts/node-flags.mjs";
import { processTree } from "./proc";

export const repoRoot = resolve(import.meta.dirname, "..", "..", "..");
const webDir = resolve(import.meta.dirname, "..");

export const ADMIN_EMAIL = "bench-admin@example.com";
export const ADMIN_PASSWORD = "Bench-Overhang-Crimp-Sloper-42";
const JWT_SECRET = "bench-secret-0123456789-abcdefghijklmnopqrstuv";

/** Whether the portal's production build is missing, older than its sources, or fresh. */
export { buildState } from "../../../apps/web/scripts/build-state.mjs";

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolvePort(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/** Bytes at the end of a server's output that an error report quotes. */
const QUOTED_OUTPUT = 64 * 1024;

/** The last `bytes` of a file (its whole text when shorter). */
function tail(path: string, bytes = QUOTED_OUTPUT): string {
  const size = statSync(path, { throwIfNoEntry: false })?.size ?? 0;
  if (size === 0) return "";
  const length = Math.min(size, bytes);
  const buffer = Buffer.alloc(length);
  const fd = openSync(path, "r");
  try {
    readSync(fd, buffer, 0, length, size - length);
  } finally {
    closeSync(fd);
  }
  return buffer.toString();
}

export type Server = {
  url: string;
  /** The process the bench started (for `pnpm start`, the root of its process tree). */
  pid: number;
  /** The end of what the server wrote on stdout and stderr. */
  logs: () => string;
  /** The file its stdout and stderr go to. */
  logFile: string;
  stop: () => Promise<void>;
};

const waitFor = async (condition: () => boolean, timeoutMs: number) => {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) await new Promise((done) => setTimeout(done, 50));
  return condition();
};

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * Starts `command` in its own process group and waits until `readyPath` answers 2xx. Stopping
 * sends SIGTERM to the group and then SIGKILL to any of its processes still running after 5 s.
 */
async function launch(
  name: string,
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; port: number; readyPath: string; timeoutMs: number },
): Promise<Server> {
  const url = `http://127.0.0.1:${options.port}`;
  // Output goes to a file, as a log shipper would read it: the portal logs a line per request, and
  // reading that through a pipe would take turns on this process's event loop, which drives the
  // load, only while the operated portal is measured.
  const logDir = mkdtempSync(join(tmpdir(), "mastoc-bench-log-"));
  const logFile = join(logDir, "output.log");
  const outputFd = openSync(logFile, "a");
  let lastOutput: string | null = null;
  const output = () => lastOutput ?? tail(logFile);
  let child;
  try {
    child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: ["ignore", outputFd, outputFd],
    });
  } finally {
    closeSync(outputFd);
  }
  const spawned = new Promise<void>((done, fail) => child.once("spawn", done).once("error", fail));
  await spawned;
  const pid = child.pid!;
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    const tree = processTree(pid);
    try {
      process.kill(-pid, "SIGTERM");
    } catch {
      // the group has already exited
    }
    if (!(await waitFor(() => !tree.some(alive), 5000))) {
      for (const member of tree.filter(alive)) {
        try {
          process.kill(member, "SIGKILL");
        } catch {
          // exited meanwhile
        }
      }
    }
    lastOutput = tail(logFile);
    rmSync(logDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`${name} exited with code ${child.exitCode}:\n${output()}`);
    }
    try {
      const response = await fetch(`${url}${options.readyPath}`, { signal: AbortSignal.timeout(2000) });
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${name} did not answer within ${options.timeoutMs / 1000} s:\n${output()}`);
    }
    await new Promise((done) => setTimeout(done, 100));
  }
  return { url, pid, logs: output, logFile, stop };
}

export type Provider = "sqlite" | "postgresql";

/** Where the portal keeps its data: a temporary directory and the database URL it is given. */
export type PortalData = { dataDir: string; databaseUrl: string; remove: () => void };

export function temporaryData(databaseUrl?: string): PortalData {
  const dataDir = mkdtempSync(join(tmpdir(), "mastoc-bench-"));
  return {
    dataDir,
    databaseUrl: databaseUrl ?? `file:${join(dataDir, "mastoc.db")}`,
    remove: () => rmSync(dataDir, { recursive: true, force: true }),
  };
}

const portalEnv = (port: number, data: PortalData): NodeJS.ProcessEnv => ({
  ...process.env,
  NEXT_TELEMETRY_DISABLED: "1",
  PORT: String(port),
  HOST: "127.0.0.1",
  APP_URL: `http://127.0.0.1:${port}`,
  MASTOC_DATA_DIR: data.dataDir,
  DATABASE_URL: data.databaseUrl,
  MASTOC_ADMIN_EMAIL: ADMIN_EMAIL,
  MASTOC_ADMIN_PASSWORD: ADMIN_PASSWORD,
  // Sign-ins cost what they cost in production.
  BCRYPT_COST: "12",
});

/** The production portal, started as deployments and the HTTP tests start it: `node server.mjs`. */
export async function startPortal(
  data: PortalData,
  extraEnv: Record<string, string> = {},
): Promise<Server & { jwtSecret: string }> {
  const port = await freePort();
  const server = await launch(
    "the portal (node apps/web/server.mjs)",
    process.execPath,
    [...serverNodeFlags, "server.mjs"],
    {
      cwd: webDir,
      env: { ...portalEnv(port, data), NODE_ENV: "production", JWT_SECRET, ...extraEnv },
      port,
      readyPath: "/api/trpc/auth.status",
      timeoutMs: 120_000,
    },
  );
  return { ...server, jwtSecret: JWT_SECRET };
}

/** The README's start command, `pnpm start` at the repository root, with its own data directory. */
export async function startReadmeCommand(data: PortalData): Promise<Server> {
  const port = await freePort();
  return launch("`pnpm start`", "pnpm", ["start"], {
    cwd: repoRoot,
    env: portalEnv(port, data),
    port,
    readyPath: "/api/trpc/auth.status",
    timeoutMs: 120_000,
  });
}

/** The raw floor (floor-server.ts) on the portal's own database. */
export async function startFloor(databaseUrl: string, jwtSecret: string): Promise<Server> {
  const port = await freePort();
  return launch(
    "the floor server",
    process.execPath,
    ["--import", "tsx", join(import.meta.dirname, "floor-server.ts")],
    {
      cwd: resolve(import.meta.dirname, ".."),
      env: {
        ...process.env,
        NODE_ENV: "production",
        PORT: String(port),
        JWT_SECRET: jwtSecret,
        FLOOR_DATABASE_URL: databaseUrl.replace(/^file:/, ""),
      },
      port,
      readyPath: "/health",
      timeoutMs: 60_000,
    },
  );
}
