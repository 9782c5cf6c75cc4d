import type { Command } from "commander";
import { createApi, saveTokens } from "../client";
import { refusedCredentials } from "../errors";
import { green } from "../output";
import { examples, jsonOption, output, serverOf } from "../program";
import { ask, readPassword, retrying } from "../prompt";
import { changeStore, clearAuth, readAuth } from "../store";
import { t } from "../i18n";

export function registerLoginCommands(program: Command): void {
  program
    .command("login")
    .description("sign in to a server; it is added to `mastoc servers` and becomes the default")
    .option("-e, --email <email>", "email or username (prompted when omitted)")
    .option("--password-stdin", "read the password from standard input (for scripts)")
    .option("--otp <code>", "the two-factor code (or a recovery code), if the account asks for one")
    .addOption(jsonOption())
    .addHelpText(
      "after",
      examples(
        "mastoc login",
        "mastoc login --server https://club.example.com   # a second server, kept beside the first",
        "printf '%s' \"$PASSWORD\" | mastoc login --email ada@example.com --password-stdin --otp 123456",
      ) + "\n\nOn a terminal, a wrong password or code is asked again (3 tries in all).",
    )
    .action(async (options: { email?: string; passwordStdin?: boolean; otp?: string }, command: Command) => {
      const server = serverOf(command);
      const email = options.email ?? (await ask(`${t("prompt.identifier")} `));
      const api = createApi(server);
      const answer = await retrying(
        options.passwordStdin ? await readPassword(options) : undefined,
        () => readPassword({}),
        (password) => api.auth.login.mutate({ email, password }),
        refusedCredentials,
      );
      const tokens =
        "mfa_required" in answer
          ? await retrying(
              options.otp,
              () => ask(`${t("prompt.secondFactor")} `),
              (code) => api.auth.verifyMfa.mutate({ mfa_token: answer.mfa_token, code }),
              refusedCredentials,
            )
          : answer;
      await saveTokens(server, tokens);
      output(command, { server, user: tokens.user, expires_in: tokens.expires_in }, () =>
        process.stdout.write(`${green("Signed in")} as ${tokens.user.email} (${tokens.user.role}) on ${server}\n`),
      );
    });

  program
    .command("logout")
    .description("end the session on a server (the default one, or --server) and forget its tokens")
    .addHelpText("after", examples("mastoc logout", "mastoc logout --server https://club.example.com"))
    .action(async (_options: unknown, command: Command) => {
      const server = serverOf(command);
      const auth = readAuth(server);
      if (!auth) {
        process.stdout.write(`Not signed in to ${server}.\n`);
        return;
      }
      try {
        await createApi(server, auth.access_token).auth.logout.mutate({ refresh_token: auth.refresh_token });
      } finally {
        await changeStore((store) => clearAuth(store, server));
      }
      process.stdout.write(`Signed out of ${server}.\n`);
    });
}
