import type { Command } from "commander";
import { authed } from "../client";
import { printTable } from "../output";
import { intOption, jsonOption, output, serverOf } from "../program";

export function registerAuditCommands(program: Command): void {
  const audit = program
    .command("audit")
    .description("the audit log (administrators: all; moderators: climbs)")
    .addHelpText("after", "\nExample:\n  $ mastoc audit list --action auth.login --limit 20");
  audit
    .command("list")
    .description("list audit entries, newest first")
    .option("--actor <userId>", "entries by this user")
    .option("--action <prefix>", "actions starting with this (e.g. climb., auth.login)")
    .option("--target-type <type>", "user, climb, session, apiKey")
    .option("--target-id <id>", "entries about this object")
    .option("--ip <address>", "entries from this client address")
    .option("--limit <n>", "how many entries", intOption, 50)
    .addOption(jsonOption())
    .addHelpText("after", "\nExample:\n  $ mastoc audit list --action climb. --limit 20")
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
            [
              { key: "createdAt", label: "Time" },
              { key: "action", label: "Action" },
              { key: "actorEmail", label: "Actor" },
              { key: "targetType", label: "Target" },
              { key: "targetId", label: "Target ID" },
              { key: "ip", label: "IP" },
              { key: "changes", label: "Changes" },
            ],
          ),
        );
      },
    );
}
