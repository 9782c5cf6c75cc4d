import type { Command } from "commander";
import { authed } from "../client";
import { bold, green, printTable } from "../output";
import { intOption, jsonOption, output, serverOf } from "../program";

export function registerAccountCommands(program: Command): void {
  const sessions = program
    .command("sessions")
    .description("your active sessions")
    .addHelpText(
      "after",
      "\nExamples:\n  $ mastoc sessions list\n  $ mastoc sessions revoke <id>\n  $ mastoc sessions revoke-all",
    );
  sessions
    .command("list")
    .description("list your active sessions (web and CLI)")
    .addOption(jsonOption())
    .action(async (_options: unknown, command: Command) => {
      const rows = await authed(serverOf(command), (api) => api.auth.sessions.query());
      output(command, rows, () =>
        printTable(
          rows.map((row) => ({ ...row, current: row.current ? "*" : "" })),
          [
            { key: "current", label: "" },
            { key: "id", label: "ID" },
            { key: "kind", label: "Kind" },
            { key: "userAgent", label: "Client" },
            { key: "ip", label: "IP" },
            { key: "createdAt", label: "Created" },
            { key: "lastUsedAt", label: "Last used" },
          ],
        ),
      );
    });
  sessions
    .command("revoke <id>")
    .description("sign out one session")
    .action(async (id: string, _options: unknown, command: Command) => {
      await authed(serverOf(command), (api) => api.auth.revokeSession.mutate({ id }));
      process.stdout.write(`Session ${id} signed out.\n`);
    });
  sessions
    .command("revoke-all")
    .description("sign out everywhere, this CLI included")
    .action(async (_options: unknown, command: Command) => {
      const result = await authed(serverOf(command), (api) => api.auth.logoutAll.mutate());
      process.stdout.write(`${result.revoked} session(s) signed out. Run \`mastoc login\` to sign in again.\n`);
    });

  const keys = program
    .command("apikeys")
    .description("API keys for scripts (mk_…)")
    .addHelpText(
      "after",
      "\nExamples:\n  $ mastoc apikeys create --name backup\n  $ mastoc apikeys list --json\n  $ mastoc apikeys revoke <id>",
    );
  keys
    .command("create")
    .description("create an API key; it is shown once")
    .requiredOption("--name <name>", "what the key is for")
    .option("--expires-in-days <days>", "expire the key after this many days", intOption)
    .addOption(jsonOption())
    .addHelpText(
      "after",
      '\nExample:\n  $ mastoc apikeys create --name backup --expires-in-days 90\n  $ curl -H "X-API-Key: mk_…" …/api/trpc/auth.me',
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
    .description("revoke an API key")
    .action(async (id: string, _options: unknown, command: Command) => {
      await authed(serverOf(command), (api) => api.apiKeys.revoke.mutate({ id }));
      process.stdout.write(`API key ${id} revoked.\n`);
    });
}
