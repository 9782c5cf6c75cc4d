import type { Command } from "commander";
import { authed } from "../client";
import { printTable } from "../output";
import { examples, intOption, jsonOption, output, serverOf } from "../program";
import { t } from "../i18n";

export function registerAuditCommands(program: Command): void {
  const audit = program
    .command("audit")
    .description(t("audit.description"))
    .addHelpText("after", examples("mastoc audit list --action auth.login --limit 20"));
  audit
    .command("list")
    .description(t("audit.list.description"))
    .option("--actor <userId>", t("audit.list.actor"))
    .option("--action <prefix>", t("audit.list.action"))
    .option("--target-type <type>", t("audit.list.targetType"))
    .option("--target-id <id>", t("audit.list.targetId"))
    .option("--ip <address>", t("audit.list.ip"))
    .option("--limit <n>", t("audit.list.limit"), intOption, 50)
    .addOption(jsonOption())
    .addHelpText("after", examples("mastoc audit list --action climb. --limit 20"))
    .action(
      async (
        options: {
          actor?: string;
          action?: string;
          targetType?: string;
          targetId?: string;
          ip?: string;
          limit: number;
        },
        command: Command,
      ) => {
        const result = await authed(serverOf(command), (api) =>
          api.audit.list.query({
            actorId: options.actor,
            action: options.action,
            targetType: options.targetType,
            targetId: options.targetId,
            ip: options.ip,
            limit: options.limit,
          }),
        );
        output(command, result, () =>
          printTable(
            result.items.map((entry) => ({ ...entry, changes: entry.changes ? JSON.stringify(entry.changes) : null })),
            (["createdAt", "action", "actorEmail", "targetType", "targetId", "ip", "changes"] as const).map((key) => ({
              key,
              label: t(`audit.fields.${key}`),
            })),
          ),
        );
      },
    );
}
