// Runs the real built `mastoc` binary as a user or a script would: with pipes, or in a terminal.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { spawn as spawnTerminal } from "@lydell/node-pty";

const bin = resolve(import.meta.dirname, "..", "bin", "mastoc.mjs");

export type Run = { code: number | null; stdout: string; stderr: string };

/** Environment overrides; `undefined` removes a variable. */
type Env = Record<string, string | undefined>;

type Options = { home: string; server?: string; stdin?: string; env?: Env };

function environment(options: Options): Env {
  return {
    ...process.env,
    MASTOC_HOME: options.home,
    MASTOC_SERVER: options.server ?? "",
    NO_COLOR: "1",
    // English unless a test asks for another language.
    LC_ALL: undefined,
    LC_MESSAGES: undefined,
    LANG: undefined,
    ...options.env,
  };
}

/** Starts `mastoc` with pipes; `done` settles when it exits. */
export function startMastoc(
  args: string[],
  options: Options,
): { child: ChildProcessWithoutNullStreams; done: Promise<Run> } {
  const child = spawn(process.execPath, [bin, ...args], { env: environment(options), stdio: ["pipe", "pipe", "pipe"] });
  const done = new Promise<Run>((resolveRun, fail) => {
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", fail);
    child.on("close", (code) => resolveRun({ code, stdout, stderr }));
  });
  child.stdin.end(options.stdin ?? "");
  return { child, done };
}

export function mastoc(args: string[], options: Options): Promise<Run> {
  return startMastoc(args, options).done;
}

/** `mastoc` in a pseudo-terminal: stdin, stdout and stderr are all the terminal, as for a person. */
export function mastocInTerminal(args: string[], options: Omit<Options, "stdin">) {
  const terminal = spawnTerminal(process.execPath, [bin, ...args], {
    name: "xterm-256color",
    cols: 120,
    rows: 30,
    env: Object.fromEntries(
      Object.entries(environment(options)).filter((entry): entry is [string, string] => entry[1] !== undefined),
    ),
  });
  let screen = "";
  const waiters = new Set<() => void>();
  terminal.onData((data) => {
    screen += data;
    for (const check of waiters) check();
  });
  const exit = new Promise<number>((resolveExit) => terminal.onExit(({ exitCode }) => resolveExit(exitCode)));
  return {
    /** Everything the terminal has shown so far, escape sequences included. */
    output: () => screen,
    /** Types (or pastes, when given several characters at once) into the terminal. */
    write: (data: string) => terminal.write(data),
    /**
     * Resolves once the terminal shows `text`. It may show it after the program exited (a pty
     * delivers its last output after the exit), so only the time limit rejects.
     */
    waitFor: (text: string, timeoutMs = 20_000) =>
      new Promise<void>((resolveWait, fail) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          fail(new Error(`"${text}" not shown within ${timeoutMs} ms:\n${screen}`));
        }, timeoutMs);
        const check = () => {
          if (!screen.includes(text)) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolveWait();
        };
        waiters.add(check);
        check();
      }),
    /** The exit code. */
    exit,
  };
}

type StoreFile = { version: 2; default: string | null; servers: Record<string, Record<string, unknown>> };

/** The token store of `home` as written on disk, and the default server's entry. */
export function readStoreFile(home: string) {
  const store = JSON.parse(readFileSync(join(home, "auth.json"), "utf8")) as StoreFile;
  const entry = store.servers[store.default!] as { access_token: string; refresh_token: string; expires_at: number };
  return { store, server: store.default!, entry };
}

/**
 * Rewrites the default server's stored session with `changes` (e.g. an expired access token); with
 * `moveTo`, the same tokens are stored for that server instead, and it becomes the default.
 */
export function changeStoredAuth(home: string, changes: object, moveTo?: string): void {
  const { store, server, entry } = readStoreFile(home);
  const target = moveTo ?? server;
  if (moveTo) delete store.servers[server];
  store.servers[target] = { ...entry, ...changes };
  store.default = target;
  writeFileSync(join(home, "auth.json"), JSON.stringify(store), { mode: 0o600 });
}
