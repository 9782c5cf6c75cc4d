// Runs the real built `mastoc` binary as a user or a script would.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { resolve } from "node:path";

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
