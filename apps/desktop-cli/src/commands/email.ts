import type { Command } from "commander";
import { authed, createApi } from "../client";
import { green } from "../output";
import { jsonOption, output, serverOf } from "../program";
import { readPassword, retrying } from "../prompt";
import { refusedField } from "../errors";

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
    .description("your email address: verification and change")
    .addHelpText(
      "after",
      "\nExamples:\n  $ mastoc email status\n  $ mastoc email resend\n  $ mastoc email confirm 'http://localhost:3000/verify-email?token=…'\n  $ mastoc email change ada@new.example",
    );

  email
    .command("status")
    .description("your address and whether it is verified")
    .addOption(jsonOption())
    .action(async (_options: unknown, command: Command) => {
      const me = await authed(serverOf(command), (api) => api.users.me.query());
      const status = { email: me.email, verified: me.emailVerified !== null, verifiedAt: me.emailVerified };
      output(command, status, () =>
        process.stdout.write(
          status.verified
            ? `${me.email} is ${green("verified")}.\n`
            : `${me.email} is not verified yet: open the link we mailed you, or run \`mastoc email resend\`.\n`,
        ),
      );
    });

  email
    .command("resend")
    .description("mail a new verification link (older links stop working; at most 5 an hour)")
    .addOption(jsonOption())
    .action(async (_options: unknown, command: Command) => {
      const result = await authed(serverOf(command), (api) => api.auth.requestEmailVerification.mutate());
      output(command, result, () => process.stdout.write(`A new link is on its way to ${result.sentTo}.\n`));
    });

  email
    .command("confirm <link>")
    .description("confirm an address with the link (or its token) from a verification or change mail")
    .addOption(jsonOption())
    .action(async (link: string, _options: unknown, command: Command) => {
      const me = await createApi(serverOf(command)).auth.confirmEmailVerification.mutate({ token: tokenOf(link) });
      output(command, me, () => process.stdout.write(`${green("Verified")}: ${me.email}.\n`));
    });

  email
    .command("change <newEmail>")
    .description("change your address: a link goes to the new one, a notice to the old one")
    .option("--password-stdin", "read the password from standard input")
    .addOption(jsonOption())
    .action(async (newEmail: string, options: { passwordStdin?: boolean }, command: Command) => {
      const server = serverOf(command);
      const result = await retrying(
        options.passwordStdin ? await readPassword(options) : undefined,
        () => readPassword({}),
        (password) => authed(server, (api) => api.users.changeEmail.mutate({ newEmail, password })),
        refusedField("password"),
      );
      output(command, result, () =>
        process.stdout.write(
          `We sent a confirmation link to ${result.sentTo}. Your address changes when you open it (or run \`mastoc email confirm <link>\`).\n`,
        ),
      );
    });
}
