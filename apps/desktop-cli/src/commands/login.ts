import type { Command } from "commander";
import { createApi, saveOidcTokens, saveTokens } from "../client";
import { deviceLogin, revokeOidc } from "../device-login";
import { refusedCredentials } from "../errors";
import { green } from "../output";
import { examples, jsonOption, output, serverOf } from "../program";
import { ask, ATTEMPTS, readPassword, retrying } from "../prompt";
import { changeStore, clearAuth, readAuth } from "../store";
import { t } from "../i18n";

export function registerLoginCommands(program: Command): void {
  program
    .command("login")
    .description(t("login.description"))
    .option("-e, --email <email>", t("login.options.email"))
    .option("--password-stdin", t("login.options.passwordStdin"))
    .option("--otp <code>", t("login.options.otp"))
    .option("--web", t("login.options.web"))
    .addOption(jsonOption())
    .addHelpText(
      "after",
      examples(
        "mastoc login",
        `mastoc login --server https://club.example.com   # ${t("login.exampleSecondServer")}`,
        "printf '%s' \"$PASSWORD\" | mastoc login --email ada@example.com --password-stdin --otp 123456",
        `mastoc login --web   # ${t("login.exampleWeb")}`,
      ) + `\n\n${t("login.retries", { count: ATTEMPTS })}`,
    )
    .action(
      async (options: { email?: string; passwordStdin?: boolean; otp?: string; web?: boolean }, command: Command) => {
        const server = serverOf(command);
        const signedIn = (user: { email: string; role: string }) =>
          process.stdout.write(
            `${t.markup("login.signedIn", { green: (chunks) => green([chunks].flat().join("")), email: user.email, role: user.role, server })}\n`,
          );
        if (options.web) {
          const tokens = await deviceLogin(server, (text) => process.stderr.write(text));
          const user = await createApi(server, tokens.access_token).auth.me.query();
          await saveOidcTokens(server, tokens, {
            id: user.id,
            email: user.email,
            username: user.username,
            role: user.role,
          });
          output(command, { server, user, expires_in: tokens.expires_in }, () => signedIn(user));
          return;
        }
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
        output(command, { server, user: tokens.user, expires_in: tokens.expires_in }, () => signedIn(tokens.user));
      },
    );

  program
    .command("logout")
    .description(t("logout.description"))
    .addHelpText("after", examples("mastoc logout", "mastoc logout --server https://club.example.com"))
    .action(async (_options: unknown, command: Command) => {
      const server = serverOf(command);
      const auth = readAuth(server);
      if (!auth) {
        process.stdout.write(`${t("logout.notSignedIn", { server })}\n`);
        return;
      }
      try {
        if (auth.via === "oidc") await revokeOidc(server, auth.refresh_token);
        else await createApi(server, auth.access_token).auth.logout.mutate({ refresh_token: auth.refresh_token });
      } finally {
        await changeStore((store) => clearAuth(store, server));
      }
      process.stdout.write(`${t("logout.signedOut", { server })}\n`);
    });
}
