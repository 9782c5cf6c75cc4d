import type { Command } from "commander";
import { authed } from "../client";
import { amongOwn, resolveId } from "../ids";
import { bold, green, printTable } from "../output";
import { examples, intOption, jsonOption, output, serverOf, yesOption } from "../program";
import { confirmAction } from "../prompt";

export function registerApiKeyCommands(program: Command): void {
  const keys = program
    .command("apikeys")
    .description("API keys for scripts (mk_…)")
    .addHelpText(
      "after",
      examples("mastoc apikeys create --name backup", "mastoc apikeys list --json", "mastoc apikeys revoke 8dk3m2"),
    );
  keys
    .command("create")
    .description("create an API key; it is shown once")
    .requiredOption("--name <name>", "what the key is for")
    .option("--expires-in-days <days>", "expire the key after this many days", intOption)
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
          `${green("Created")} ${key.name} (${key.id}). Copy the key now, it is not shown again:\n${bold(key.key)}\n`,
        ),
      );
    });
  keys
    .command("list")
    .description("list your API keys (or a user's, for administrators)")
    .option("--user <id>", "another user's keys (administrators)")
    .addOption(jsonOption())
    .action(async (options: { user?: string }, command: Command) => {
      const rows = await authed(serverOf(command), (api) =>
        api.apiKeys.list.query(options.user ? { userId: options.user } : undefined),
      );
      output(command, rows, () =>
        printTable(rows, [
          { key: "id", label: "ID" },
          { key: "name", label: "Name" },
          { key: "prefix", label: "Starts with" },
          { key: "createdAt", label: "Created" },
          { key: "expiresAt", label: "Expires" },
          { key: "lastUsedAt", label: "Last used" },
          { key: "revokedAt", label: "Revoked" },
        ]),
      );
    });
  keys
    .command("revoke <id>")
    .description("revoke one of your API keys (the ID or any unique start of it; a whole ID for another user's key)")
    .addOption(yesOption())
    .action(async (given: string, options: { yes?: boolean }, command: Command) => {
      const server = serverOf(command);
      const key = await authed(server, async (api) => {
        const rows = await api.apiKeys.list.query();
        const id = await resolveId(
          "API key",
          given,
          amongOwn(
            async () => rows,
            (row) => `${row.name} (${row.prefix}…)`,
          ),
        );
        return rows.find((row) => row.id === id) ?? { id, name: null, prefix: null };
      });
      const what = key.name ? `the API key "${key.name}" (${key.prefix}…, ${key.id})` : `the API key ${key.id}`;
      await confirmAction(options, "revoke", what);
      await authed(server, (api) => api.apiKeys.revoke.mutate({ id: key.id }));
      process.stdout.write(`API key ${key.id} revoked.\n`);
    });
}
