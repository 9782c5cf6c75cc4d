import type { Command } from "commander";
import { authed, createApi } from "../client";
import { CliError, refusedField } from "../errors";
import { greenTag } from "../output";
import { examples, serverOf } from "../program";
import { ask, askNewPassword, readStdin, retrying } from "../prompt";
import { t } from "../i18n";

/** Two secrets from standard input, one per line (for scripts). */
async function twoLines(): Promise<[string, string]> {
  const [first = "", second = ""] = (await readStdin()).split(/\r?\n/);
  if (!first || !second) throw new CliError(t("password.twoLines"), 2);
  return [first, second];
}

export function registerPasswordCommands(program: Command): void {
  const password = program
    .command("password")
    .description(t("password.description"))
    .addHelpText(
      "after",
      examples(
        "mastoc password change",
        `printf '%s\\n%s\\n' "$OLD" "$NEW" | mastoc password change --stdin`,
        "mastoc password reset-request ada@example.com",
        "mastoc password reset-confirm <token>",
      ),
    );
  password
    .command("change")
    .description(t("password.change.description"))
    .option("--stdin", t("password.change.stdin"))
    .action(async (options: { stdin?: boolean }, command: Command) => {
      const server = serverOf(command);
      const [given, piped] = options.stdin ? await twoLines() : [undefined, undefined];
      let newPassword = piped;
      // On a terminal: the current password, then the new one twice; a wrong current one is asked again.
      const result = await retrying(
        given,
        () => ask(`${t("password.change.current")} `, true),
        async (currentPassword) => {
          newPassword ??= await askNewPassword();
          const change = { currentPassword, newPassword };
          return authed(server, (api) => api.auth.changePassword.mutate(change));
        },
        refusedField("currentPassword"),
      );
      const count = result.otherSessionsRevoked;
      process.stdout.write(`${t.markup("password.change.done", { green: greenTag, count })}\n`);
    });
  password
    .command("reset-request <email>")
    .description(t("password.resetRequest.description"))
    .action(async (email: string, _options: unknown, command: Command) => {
      const result = await createApi(serverOf(command)).auth.requestPasswordReset.mutate({ email });
      process.stdout.write(`${result.message}\n`);
    });
  password
    .command("reset-confirm <token>")
    .description(t("password.resetConfirm.description"))
    .option("--password-stdin", t("password.resetConfirm.passwordStdin"))
    .action(async (token: string, options: { passwordStdin?: boolean }, command: Command) => {
      const server = serverOf(command);
      const newPassword = options.passwordStdin ? await readStdin() : await askNewPassword();
      await createApi(server).auth.confirmPasswordReset.mutate({ token, password: newPassword });
      process.stdout.write(`${t.markup("password.resetConfirm.done", { green: greenTag })}\n`);
    });
}
