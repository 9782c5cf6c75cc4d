import type { Command } from "commander";
import { createApi, normalizeServer } from "../client";
import { CliError } from "../errors";
import { dim, printTable } from "../output";
import { examples, jsonOption, output } from "../program";
import { authFor, changeStore, readAuth, readStore } from "../store";
import { t } from "../i18n";

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
    .description(t("servers.description"))
    .addHelpText(
      "after",
      examples(
        `mastoc login --server https://club.example.com   # ${t("servers.exampleAdds")}`,
        "mastoc servers",
        "mastoc servers default https://club.example.com",
        `mastoc whoami --server http://localhost:3000      # ${t("servers.exampleOnce")}`,
        "mastoc servers remove https://old.example.com",
      ),
    );
  servers
    .command("list", { isDefault: true })
    .description(t("servers.list.description"))
    .addOption(jsonOption())
    .action((_options: unknown, command: Command) => {
      const rows = savedServers();
      output(command, rows, () => {
        printTable(
          rows.map((row) => ({
            default: row.default ? "*" : "",
            server: row.server,
            account: row.user ? `${row.user.username} <${row.user.email}>` : dim(t("servers.list.notSignedIn")),
            role: row.user?.role ?? null,
          })),
          [
            { key: "default", label: "" },
            ...(["server", "account", "role"] as const).map((key) => ({ key, label: t(`servers.list.fields.${key}`) })),
          ],
        );
        if (rows.length === 0) process.stdout.write(`${t("servers.list.addOne")}\n`);
      });
    });
  servers
    .command("default <url>")
    .description(t("servers.default.description"))
    .action(async (url: string) => {
      const server = normalizeServer(url);
      await changeStore((store) => {
        if (!(server in store.servers)) {
          throw new CliError(t("servers.default.notSaved", { server }));
        }
        store.default = server;
      });
      process.stdout.write(`${t("servers.default.done", { server })}\n`);
    });
  servers
    .command("remove <url>")
    .description(t("servers.remove.description"))
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
        if (!(server in store.servers)) throw new CliError(t("servers.remove.notSaved", { server }));
        delete store.servers[server];
        if (store.default === server) store.default = Object.keys(store.servers).sort()[0] ?? null;
      });
      process.stdout.write(`${t("servers.remove.done", { server })}\n`);
    });
}
