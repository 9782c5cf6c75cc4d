import type { Command } from "commander";
import { authed, createApi, saveTokens } from "../client";
import { green, printRecord } from "../output";
import { selfFields } from "./profile";
import { jsonOption, output, serverOf } from "../program";
import { ask, readPassword, readStdin } from "../prompt";
import { clearAuth, readAuth } from "../store";

export function registerAuthCommands(program: Command): void {
  program
    .command("login")
    .description("sign in and keep the tokens in $MASTOC_HOME/auth.json (~/.mastoc)")
    .option("-e, --email <email>", "email or username (prompted when omitted)")
    .option("--password-stdin", "read the password from standard input (for scripts)")
    .option("--otp <code>", "the two-factor code (or a recovery code), if the account asks for one")
    .addOption(jsonOption())
    .addHelpText(
      "after",
      "\nExamples:\n  $ mastoc login\n  $ mastoc login --server https://accounts.example.com\n  $ printf '%s' \"$PASSWORD\" | mastoc login --email ada@example.com --password-stdin --otp 123456",
    )
    .action(async (options: { email?: string; passwordStdin?: boolean; otp?: string }, command: Command) => {
      const server = serverOf(command);
      const email = options.email ?? (await ask("Email or username: "));
      const password = await readPassword(options);
      const api = createApi(server);
      const answer = await api.auth.login.mutate({ email, password });
      const tokens =
        "mfa_required" in answer
          ? await api.auth.verifyMfa.mutate({
              mfa_token: answer.mfa_token,
              code: options.otp ?? (await ask("Two-factor code (or a recovery code): ")),
            })
          : answer;
      saveTokens(server, tokens);
      output(command, { server, user: tokens.user, expires_in: tokens.expires_in }, () =>
        process.stdout.write(`${green("Signed in")} as ${tokens.user.email} (${tokens.user.role}) on ${server}\n`),
      );
    });

  program
    .command("register")
    .description("create an account (then sign in with `mastoc login`)")
    .requiredOption("-e, --email <email>", "email address")
    .requiredOption("-u, --username <username>", "3–32 of a-z 0-9 _ . -")
    .option("-n, --name <name>", "display name")
    .option("--password-stdin", "read the password from standard input")
    .addOption(jsonOption())
    .addHelpText("after", "\nExample:\n  $ mastoc register --email ada@example.com --username ada --name 'Ada'")
    .action(
      async (
        options: { email: string; username: string; name?: string; passwordStdin?: boolean },
        command: Command,
      ) => {
        const server = serverOf(command);
        const password = options.passwordStdin ? await readStdin() : await ask("Choose a password: ", true);
        const user = await createApi(server).auth.register.mutate({
          email: options.email,
          username: options.username,
          password,
          name: options.name,
        });
        output(command, user, () =>
          process.stdout.write(`${green("Created")} ${user.email}. Sign in with \`mastoc login\`.\n`),
        );
      },
    );

  program
    .command("logout")
    .description("end this session on the server and forget the tokens")
    .addHelpText("after", "\nExample:\n  $ mastoc logout")
    .action(async () => {
      const auth = readAuth();
      if (!auth) {
        process.stdout.write("Not signed in.\n");
        return;
      }
      try {
        await createApi(auth.server, auth.access_token).auth.logout.mutate({ refresh_token: auth.refresh_token });
      } finally {
        clearAuth(auth.server);
      }
      process.stdout.write(`Signed out of ${auth.server}.\n`);
    });

  program
    .command("whoami")
    .description("show the signed-in user")
    .addOption(jsonOption())
    .addHelpText("after", "\nExamples:\n  $ mastoc whoami\n  $ mastoc whoami --json | jq -r .role")
    .action(async (_options: unknown, command: Command) => {
      const server = serverOf(command);
      const me = await authed(server, (api) => api.auth.me.query());
      output(command, me, () => printRecord(me, selfFields));
    });
}
