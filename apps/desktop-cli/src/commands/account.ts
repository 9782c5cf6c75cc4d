import type { Command } from "commander";
import { authed } from "../client";
import { refusedField } from "../errors";
import { examples, serverOf, yesOption } from "../program";
import { confirmAction, readPassword, retrying } from "../prompt";
import { changeStore, clearAuth } from "../store";
import { t } from "../i18n";

export function registerAccountCommands(program: Command): void {
  const account = program
    .command("account")
    .description(t("account.description"))
    .addHelpText("after", examples("mastoc account delete", "mastoc account delete --yes --password-stdin < pw.txt"));
  account
    .command("delete")
    .description(t("account.delete.description"))
    .option("--password-stdin", t("account.delete.passwordStdin"))
    .addOption(yesOption())
    .action(async (options: { passwordStdin?: boolean; yes?: boolean }, command: Command) => {
      const server = serverOf(command);
      const me = await authed(server, (api) => api.auth.me.query());
      const { username, email } = me;
      await confirmAction(options, "delete", t("account.delete.what", { username, email, server }), username);
      await retrying(
        options.passwordStdin ? await readPassword(options) : undefined,
        () => readPassword({}),
        (password) => authed(server, (api) => api.users.deleteMe.mutate({ password })),
        refusedField("password"),
      );
      await changeStore((store) => clearAuth(store, server));
      process.stdout.write(`${t("account.delete.done", { username, server })}\n`);
    });
}
