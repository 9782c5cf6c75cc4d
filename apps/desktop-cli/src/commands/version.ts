import type { Command } from "commander";
import { clientHeaders } from "../client";
import { bold, dim } from "../output";
import { examples, jsonOption, output, serverOf } from "../program";
import { CLI_VERSION } from "../version";
import { t } from "../i18n";

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
    return { version: null, reason: t("version.unreachable") };
  }
  try {
    const body = (await response.json()) as { version?: unknown };
    if (typeof body?.version === "string" && body.version) return { version: body.version };
  } catch {
    // not JSON: a server without the endpoint
  }
  return { version: null, reason: t("version.unreported") };
}

export function registerVersionCommand(program: Command): void {
  program
    .command("version")
    .description(t("version.description"))
    .addOption(jsonOption())
    .addHelpText("after", examples("mastoc version", `mastoc --version   # ${t("version.exampleOffline")}`))
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
          `${bold(t("version.server"))} ${server} ${remote.version ?? `${t("version.unknown")} ${dim(`(${remote.reason})`)}`}\n`,
        );
      });
    });
}
