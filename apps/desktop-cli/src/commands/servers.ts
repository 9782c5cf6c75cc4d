import type { Command } from "commander";
import { createApi, normalizeServer } from "../client";
import { CliError } from "../errors";
import { dim, printTable } from "../output";
import { examples, jsonOption, output } from "../program";
import { authFor, changeStore, readAuth, readStore } from "../store";

/** The saved servers, as `servers list` shows them and completion offers them. */
export function savedServers() {
  const store = readStore();
  return Object.keys(store.servers)
    .sort()
    .map((server) => {
      const auth = authFor(store, server);
      return {
        server,
        default: store.default === server,
        user: auth
          ? { id: auth.user.id, email: auth.user.email, username: auth.user.username, role: auth.user.role }
          : null,
      };
    });
}

export function registerServerCommands(program: Command): void {
  const servers = program
    .command("servers")
    .description("the servers you have signed in to, each with its own tokens; one is the default")
    .addHelpText(
      "after",
      examples(
        "mastoc login --server https://club.example.com   # adds a server",
        "mastoc servers",
        "mastoc servers default https://club.example.com",
        "mastoc whoami --server http://localhost:3000      # or MASTOC_SERVER=…, for one call",
        "mastoc servers remove https://old.example.com",
      ),
    );
  servers
    .command("list", { isDefault: true })
    .description("list the saved servers with the account signed in on each (the default one first marked *)")
    .addOption(jsonOption())
    .action((_options: unknown, command: Command) => {
      const rows = savedServers();
      output(command, rows, () => {
        printTable(
          rows.map((row) => ({
            default: row.default ? "*" : "",
            server: row.server,
            account: row.user ? `${row.user.username} <${row.user.email}>` : dim("not signed in"),
            role: row.user?.role ?? null,
          })),
          [
            { key: "default", label: "" },
            { key: "server", label: "Server" },
            { key: "account", label: "Account" },
            { key: "role", label: "Role" },
          ],
        );
        if (rows.length === 0) process.stdout.write("Add one with `mastoc login --server URL`.\n");
      });
    });
  servers
    .command("default <url>")
    .description("make a saved server the default (used without --server or MASTOC_SERVER)")
    .action(async (url: string) => {
      const server = normalizeServer(url);
      await changeStore((store) => {
        if (!(server in store.servers)) {
          throw new CliError(
            `${server} is not a saved server; sign in to it with \`mastoc login --server ${server}\`.`,
          );
        }
        store.default = server;
      });
      process.stdout.write(`${server} is now the default server.\n`);
    });
  servers
    .command("remove <url>")
    .description("sign out of a server (when signed in) and forget it")
    .action(async (url: string) => {
      const server = normalizeServer(url);
      const auth = readAuth(server);
      if (auth) {
        // Ends the session on the server too; an unreachable server must not keep it listed.
        await createApi(server, auth.access_token)
          .auth.logout.mutate({ refresh_token: auth.refresh_token })
          .catch(() => undefined);
      }
      await changeStore((store) => {
        if (!(server in store.servers)) throw new CliError(`${server} is not a saved server.`);
        delete store.servers[server];
        if (store.default === server) store.default = Object.keys(store.servers).sort()[0] ?? null;
      });
      process.stdout.write(`${server} removed.\n`);
    });
}
