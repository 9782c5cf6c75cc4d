import type { Command } from "commander";
import { clientHeaders } from "../client";
import { bold, dim } from "../output";
import { examples, jsonOption, output, serverOf } from "../program";
import { CLI_VERSION } from "../version";

const HEALTH_TIMEOUT_MS = 5_000;

/**
 * The server's version from its health endpoint (`GET /healthz` answers `{ status, version, … }`),
 * or why it is unknown: unreachable, or a server too old to report one.
 */
async function serverVersion(server: string): Promise<{ version: string | null; reason?: string }> {
  let response: Response;
  try {
    response = await fetch(`${server}/healthz`, {
      headers: { ...clientHeaders(), accept: "application/json" },
      signal: AbortSignal.timeout(HEALTH_TIMEOUT_MS),
    });
  } catch {
    return { version: null, reason: "cannot reach it" };
  }
  try {
    const body = (await response.json()) as { version?: unknown };
    if (typeof body?.version === "string" && body.version) return { version: body.version };
  } catch {
    // not JSON: a server without the endpoint
  }
  return { version: null, reason: "it does not report one" };
}

export function registerVersionCommand(program: Command): void {
  program
    .command("version")
    .description("the CLI's version, and the server's when it can be reached")
    .addOption(jsonOption())
    .addHelpText("after", examples("mastoc version", "mastoc --version   # the CLI's alone, offline"))
    .action(async (_options: unknown, command: Command) => {
      const server = serverOf(command);
      const remote = await serverVersion(server);
      const result = {
        cli: CLI_VERSION,
        node: process.versions.node,
        platform: process.platform,
        server: { url: server, version: remote.version },
      };
      output(command, result, () => {
        process.stdout.write(`${bold("mastoc")} ${CLI_VERSION} ${dim(`(node ${result.node}, ${result.platform})`)}\n`);
        process.stdout.write(
          `${bold("server")} ${server} ${remote.version ?? `unknown version ${dim(`(${remote.reason})`)}`}\n`,
        );
      });
    });
}
