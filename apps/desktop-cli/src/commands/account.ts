import type { Command } from "commander";
import { authed } from "../client";
import { refusedField } from "../errors";
import { examples, serverOf, yesOption } from "../program";
import { confirmAction, readPassword, retrying } from "../prompt";
import { changeStore, clearAuth } from "../store";

export function registerAccountCommands(program: Command): void {
  const account = program
    .command("account")
    .description("your account as a whole")
    .addHelpText("after", examples("mastoc account delete", "mastoc account delete --yes --password-stdin < pw.txt"));
  account
    .command("delete")
    .description("delete your account and everything it owns; asks you to type your username unless --yes")
    .option("--password-stdin", "read the password from standard input")
    .addOption(yesOption())
    .action(async (options: { passwordStdin?: boolean; yes?: boolean }, command: Command) => {
      const server = serverOf(command);
      const me = await authed(server, (api) => api.auth.me.query());
      await confirmAction(options, "delete", `the account ${me.username} (${me.email}) on ${server}`, me.username);
      await retrying(
        options.passwordStdin ? await readPassword(options) : undefined,
        () => readPassword({}),
        (password) => authed(server, (api) => api.users.deleteMe.mutate({ password })),
        refusedField("password"),
      );
      await changeStore((store) => clearAuth(store, server));
      process.stdout.write(`Account ${me.username} deleted; you are signed out of ${server}.\n`);
    });
}
