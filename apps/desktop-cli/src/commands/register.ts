import type { Command } from "commander";
import { createApi } from "../client";
import { refusedField } from "../errors";
import { green } from "../output";
import { examples, jsonOption, output, serverOf } from "../program";
import { askNewPassword, readStdin, required, retrying } from "../prompt";

export function registerRegisterCommand(program: Command): void {
  program
    .command("register")
    .description("create an account (then sign in with `mastoc login`); asks for what is not given")
    .option("-e, --email <email>", "email address (prompted on a terminal)")
    .option("-u, --username <username>", "3–32 of a-z 0-9 _ . - (prompted on a terminal)")
    .option("-n, --name <name>", "display name")
    .option("--password-stdin", "read the password from standard input (otherwise asked twice)")
    .addOption(jsonOption())
    .addHelpText(
      "after",
      examples(
        "mastoc register",
        "mastoc register --email ada@example.com --username ada --name 'Ada'",
        "printf '%s' \"$PASSWORD\" | mastoc register -e ada@example.com -u ada --password-stdin",
      ),
    )
    .action(
      async (
        options: { email?: string; username?: string; name?: string; passwordStdin?: boolean },
        command: Command,
      ) => {
        const server = serverOf(command);
        const email = await required(options.email, "-e, --email <email>", "Email: ");
        const username = await required(options.username, "-u, --username <username>", "Username: ");
        const api = createApi(server);
        // A password the server finds too weak is asked again on a terminal.
        const user = await retrying(
          options.passwordStdin ? await readStdin() : undefined,
          () => askNewPassword("Choose a password: "),
          (password) => api.auth.register.mutate({ email, username, password, name: options.name }),
          refusedField("password"),
        );
        output(command, user, () =>
          process.stdout.write(`${green("Created")} ${user.email}. Sign in with \`mastoc login\`.\n`),
        );
      },
    );
}
