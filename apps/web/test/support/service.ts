// Portals run as an orchestrator runs them, for the tests of the service's life: started with a
// chosen environment (optionally as another user, so that file permissions apply), stopped with
// real signals, their stdout kept apart from stderr, their exit awaited. Waits are bounded polls.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, chownSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { serverNodeFlags } from "../../scripts/node-flags.mjs";
import { freePort, PORTAL_JWT_SECRET } from "./portal";

const webDir = resolve(import.meta.dirname, "..", "..");

export type ServiceProcess = {
  url: string;
  port: number;
  child: ChildProcess;
  stdout: () => string;
  output: () => string;
  /** Resolves with the exit code (or the signal's name) once the process has ended. */
  exited: Promise<number | string>;
};

export type LaunchOptions = {
  dataDir?: string;
  databaseUrl?: string;
  env?: Record<string, string>;
  /** Run as this user and group (the tests run as root, which ignores file permissions). */
  uid?: number;
  gid?: number;
  port?: number;
};

/** A fresh data directory, owned by `uid`/`gid` when given. */
export function makeDataDir(uid?: number, gid?: number): string {
  const dir = mkdtempSync(join(tmpdir(), "mastoc-service-"));
  if (uid !== undefined && gid !== undefined) chownSync(dir, uid, gid);
  return dir;
}

export async function launchPortal(options: LaunchOptions = {}): Promise<ServiceProcess> {
  const port = options.port ?? (await freePort());
  const dataDir = options.dataDir ?? makeDataDir(options.uid, options.gid);
  const url = `http://127.0.0.1:${port}`;
  let stdout = "";
  let output = "";
  const child = spawn(process.execPath, [...serverNodeFlags, "server.mjs"], {
    cwd: webDir,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      PORT: String(port),
      HOST: "127.0.0.1",
      APP_URL: url,
      MASTOC_DATA_DIR: dataDir,
      DATABASE_URL: options.databaseUrl ?? `file:${join(dataDir, "mastoc.db")}`,
      JWT_SECRET: PORTAL_JWT_SECRET,
      MASTOC_ADMIN_EMAIL: "ops-admin@example.com",
      MASTOC_ADMIN_PASSWORD: "Bootstrap-Admin-Ledge-77",
      BCRYPT_COST: "4",
      ...options.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
    ...(options.uid !== undefined ? { uid: options.uid, gid: options.gid } : {}),
  });
  child.stdout?.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
    output += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | string>((done) =>
    child.once("exit", (code, signal) => done(code ?? signal ?? "unknown")),
  );
  // Whole lines only: the log is written in batches, and a read may end in the middle of one.
  return {
    url,
    port,
    child,
    stdout: () => stdout.slice(0, stdout.lastIndexOf("\n") + 1),
    output: () => output,
    exited,
  };
}

/** Polls `probe` until it answers true, for at most `timeoutMs`. */
export async function eventually(probe: () => Promise<boolean> | boolean, timeoutMs = 30_000, what = "condition") {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await probe()) return;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`${what} not met within ${timeoutMs} ms`);
    await new Promise((tick) => setTimeout(tick, 100));
  }
}

export async function status(url: string, init?: RequestInit): Promise<number> {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(15_000) });
  await response.arrayBuffer();
  return response.status;
}

/** Waits until the portal's /readyz answers 200. */
export const ready = (service: ServiceProcess, timeoutMs = 60_000) =>
  eventually(async () => (await status(`${service.url}/readyz`)) === 200, timeoutMs, "readiness");

/** Stops the process if it still runs (SIGKILL after a bounded wait for SIGTERM). */
export async function kill(service: ServiceProcess | undefined): Promise<void> {
  if (!service || service.child.exitCode !== null || service.child.signalCode !== null) return;
  service.child.kill("SIGTERM");
  const timer = setTimeout(() => service.child.kill("SIGKILL"), 10_000);
  await service.exited;
  clearTimeout(timer);
}

/** A JSON request to the REST API; answers status, headers and parsed body. */
export async function rest(
  service: ServiceProcess,
  path: string,
  init: { method?: string; body?: unknown; token?: string; headers?: Record<string, string> } = {},
) {
  const response = await fetch(`${service.url}/api/v1${path}`, {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    headers: {
      ...(init.body === undefined ? {} : { "content-type": "application/json" }),
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      ...init.headers,
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : null,
  };
}
