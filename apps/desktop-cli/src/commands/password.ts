import type { Command } from "commander";
import { authed, createApi } from "../client";
import { CliError, refusedField } from "../errors";
import { green } from "../output";
import { serverOf } from "../program";
import { ask, askNewPassword, readStdin, retrying } from "../prompt";

/** Two secrets from standard input, one per line (for scripts). */
async function twoLines(): Promise<[string, string]> {
  const [first = "", second = ""] = (await readStdin()).split(/\r?\n/);
  if (!first || !second)
    throw new CliError("Expected two lines on standard input: the current password, then the new one.", 2);
  return [first, second];
}

export function registerPasswordCommands(program: Command): void {
  const password = program
    .command("password")
    .description("change or reset your password")
    .addHelpText(
      "after",
      '\nExamples:\n  $ mastoc password change\n  $ printf \'%s\\n%s\\n\' "$OLD" "$NEW" | mastoc password change --stdin\n  $ mastoc password reset-request ada@example.com\n  $ mastoc password reset-confirm <token>',
    );
  password
    .command("change")
    .description("change your password (your other sessions are signed out)")
    .option("--stdin", "read the current and the new password from standard input, one per line")
    .action(async (options: { stdin?: boolean }, command: Command) => {
      const server = serverOf(command);
      const [given, piped] = options.stdin ? await twoLines() : [undefined, undefined];
      let newPassword = piped;
      // On a terminal: the current password, then the new one twice; a wrong current one is asked again.
      const result = await retrying(
        given,
        () => ask("Current password: ", true),
        async (currentPassword) => {
          newPassword ??= await askNewPassword();
          const change = { currentPassword, newPassword };
          return authed(server, (api) => api.auth.changePassword.mutate(change));
        },
        refusedField("currentPassword"),
      );
      process.stdout.write(
        `${green("Password changed")}; ${result.otherSessionsRevoked} other session(s) signed out.\n`,
      );
    });
  password
    .command("reset-request <email>")
    .description("ask for a password reset link by email")
    .action(async (email: string, _options: unknown, command: Command) => {
      const result = await createApi(serverOf(command)).auth.requestPasswordReset.mutate({ email });
      process.stdout.write(`${result.message}\n`);
    });
  password
    .command("reset-confirm <token>")
    .description("set a new password with the token from the reset link")
    .option("--password-stdin", "read the new password from standard input")
    .action(async (token: string, options: { passwordStdin?: boolean }, command: Command) => {
      const server = serverOf(command);
      const newPassword = options.passwordStdin ? await readStdin() : await askNewPassword();
      await createApi(server).auth.confirmPasswordReset.mutate({ token, password: newPassword });
      process.stdout.write(`${green("Password reset")}. Every session of that account was signed out.\n`);
    });
}
