import type { Command } from "commander";
import { authed } from "../client";
import { amongOwn, resolveId } from "../ids";
import { bold, greenTag, printTable } from "../output";
import { examples, intOption, jsonOption, output, serverOf, yesOption } from "../program";
import { confirmAction } from "../prompt";
import { t } from "../i18n";

export function registerApiKeyCommands(program: Command): void {
  const keys = program
    .command("apikeys")
    .description(t("apikeys.description"))
    .addHelpText(
      "after",
      examples("mastoc apikeys create --name backup", "mastoc apikeys list --json", "mastoc apikeys revoke 8dk3m2"),
    );
  keys
    .command("create")
    .description(t("apikeys.create.description"))
    .requiredOption("--name <name>", t("apikeys.create.name"))
    .option("--expires-in-days <days>", t("apikeys.create.expires"), intOption)
    .addOption(jsonOption())
    .addHelpText(
      "after",
      examples(
        "mastoc apikeys create --name backup --expires-in-days 90",
        'curl -H "X-API-Key: mk_…" …/api/v1/auth/me',
      ),
    )
    .action(async (options: { name: string; expiresInDays?: number }, command: Command) => {
      const { name, expiresInDays } = options;
      const key = await authed(serverOf(command), (api) => api.apiKeys.create.mutate({ name, expiresInDays }));
      output(command, key, () =>
        process.stdout.write(
          `${t.markup("apikeys.create.done", { green: greenTag, name: key.name, id: key.id })}\n${bold(key.key)}\n`,
        ),
      );
    });
  keys
    .command("list")
    .description(t("apikeys.list.description"))
    .option("--user <id>", t("apikeys.list.user"))
    .addOption(jsonOption())
    .action(async (options: { user?: string }, command: Command) => {
      const rows = await authed(serverOf(command), (api) =>
        api.apiKeys.list.query(options.user ? { userId: options.user } : undefined),
      );
      output(command, rows, () =>
        printTable(
          rows,
          (["id", "name", "prefix", "createdAt", "expiresAt", "lastUsedAt", "revokedAt"] as const).map((key) => ({
            key,
            label: t(`apikeys.fields.${key}`),
          })),
        ),
      );
    });
  keys
    .command("revoke <id>")
    .description(t("apikeys.revoke.description"))
    .addOption(yesOption())
    .action(async (given: string, options: { yes?: boolean }, command: Command) => {
      const server = serverOf(command);
      const key = await authed(server, async (api) => {
        const rows = await api.apiKeys.list.query();
        const id = await resolveId(
          "apiKey",
          given,
          amongOwn(
            async () => rows,
            (row) => `${row.name} (${row.prefix}…)`,
          ),
        );
        return rows.find((row) => row.id === id) ?? { id, name: null, prefix: null };
      });
      const what = key.name
        ? t("apikeys.revoke.what", { name: key.name, prefix: key.prefix ?? "", id: key.id })
        : t("apikeys.revoke.whatId", { id: key.id });
      await confirmAction(options, "revoke", what);
      await authed(server, (api) => api.apiKeys.revoke.mutate({ id: key.id }));
      process.stdout.write(`${t("apikeys.revoke.done", { id: key.id })}\n`);
    });
}
