// Runs the real built `mastoc` binary as a user or a script would.
import { spawn } from "node:child_process";
import { resolve } from "node:path";

const bin = resolve(import.meta.dirname, "..", "bin", "mastoc.mjs");

export type Run = { code: number | null; stdout: string; stderr: string };

export function mastoc(
  args: string[],
  options: { home: string; server?: string; stdin?: string; env?: Record<string, string> },
): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [bin, ...args], {
      env: {
        ...process.env,
        MASTOC_HOME: options.home,
        MASTOC_SERVER: options.server ?? "",
        NO_COLOR: "1",
        ...options.env,
      },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", fail);
    child.on("close", (code) => done({ code, stdout, stderr }));
    child.stdin.end(options.stdin ?? "");
  });
}
