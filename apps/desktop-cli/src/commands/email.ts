import type { Command } from "commander";
import { authed, createApi } from "../client";
import { greenTag } from "../output";
import { examples, jsonOption, output, serverOf } from "../program";
import { readPassword, retrying } from "../prompt";
import { refusedField } from "../errors";
import { t } from "../i18n";

/** The token of a verification link, whether the whole link or the token alone was given. */
function tokenOf(linkOrToken: string): string {
  try {
    const token = new URL(linkOrToken).searchParams.get("token");
    if (token) return token;
  } catch {
    // not a URL: the token itself
  }
  return linkOrToken.trim();
}

export function registerEmailCommands(program: Command): void {
  const email = program
    .command("email")
    .description(t("email.description"))
    .addHelpText(
      "after",
      examples(
        "mastoc email status",
        "mastoc email resend",
        "mastoc email confirm 'http://localhost:3000/verify-email?token=…'",
        "mastoc email change ada@new.example",
      ),
    );

  email
    .command("status")
    .description(t("email.status.description"))
    .addOption(jsonOption())
    .action(async (_options: unknown, command: Command) => {
      const me = await authed(serverOf(command), (api) => api.users.me.query());
      const status = { email: me.email, verified: me.emailVerified !== null, verifiedAt: me.emailVerified };
      output(command, status, () =>
        process.stdout.write(
          `${
            status.verified
              ? t.markup("email.status.verified", { green: greenTag, email: me.email })
              : t("email.status.unverified", { email: me.email })
          }\n`,
        ),
      );
    });

  email
    .command("resend")
    .description(t("email.resend.description"))
    .addOption(jsonOption())
    .action(async (_options: unknown, command: Command) => {
      const result = await authed(serverOf(command), (api) => api.auth.requestEmailVerification.mutate());
      output(command, result, () => process.stdout.write(`${t("email.resend.done", { email: result.sentTo })}\n`));
    });

  email
    .command("confirm <link>")
    .description(t("email.confirm.description"))
    .addOption(jsonOption())
    .action(async (link: string, _options: unknown, command: Command) => {
      const me = await createApi(serverOf(command)).auth.confirmEmailVerification.mutate({ token: tokenOf(link) });
      output(command, me, () =>
        process.stdout.write(`${t.markup("email.confirm.done", { green: greenTag, email: me.email })}\n`),
      );
    });

  email
    .command("change <newEmail>")
    .description(t("email.change.description"))
    .option("--password-stdin", t("email.change.passwordStdin"))
    .addOption(jsonOption())
    .action(async (newEmail: string, options: { passwordStdin?: boolean }, command: Command) => {
      const server = serverOf(command);
      const result = await retrying(
        options.passwordStdin ? await readPassword(options) : undefined,
        () => readPassword({}),
        (password) => authed(server, (api) => api.users.changeEmail.mutate({ newEmail, password })),
        refusedField("password"),
      );
      output(command, result, () => process.stdout.write(`${t("email.change.done", { email: result.sentTo })}\n`));
    });
}
