import type { Command } from "commander";
import { authed } from "../client";
import { printRecord } from "../output";
import { examples, jsonOption, output, serverOf } from "../program";
import { selfFields } from "./profile";
import { t } from "../i18n";

export function registerWhoamiCommand(program: Command): void {
  program
    .command("whoami")
    .description(t("whoami.description"))
    .addOption(jsonOption())
    .addHelpText("after", examples("mastoc whoami", "mastoc whoami --json | jq -r .role", "mastoc whoami --utc"))
    .action(async (_options: unknown, command: Command) => {
      const server = serverOf(command);
      const me = await authed(server, (api) => api.auth.me.query());
      output(command, me, () =>
        printRecord({ ...me, server }, [{ key: "server", label: t("fields.server") }, ...selfFields]),
      );
    });
}
