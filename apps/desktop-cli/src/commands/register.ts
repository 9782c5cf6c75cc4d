import type { Command } from "commander";
import { createApi } from "../client";
import { refusedField } from "../errors";
import { greenTag } from "../output";
import { examples, jsonOption, output, serverOf } from "../program";
import { askNewPassword, readStdin, required, retrying } from "../prompt";
import { t } from "../i18n";

export function registerRegisterCommand(program: Command): void {
  program
    .command("register")
    .description(t("register.description"))
    .option("-e, --email <email>", t("register.email"))
    .option("-u, --username <username>", t("register.username"))
    .option("-n, --name <name>", t("register.name"))
    .option("--password-stdin", t("register.passwordStdin"))
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
        const email = await required(options.email, "-e, --email <email>", `${t("register.askEmail")} `);
        const username = await required(options.username, "-u, --username <username>", `${t("register.askUsername")} `);
        const api = createApi(server);
        // A password the server finds too weak is asked again on a terminal.
        const user = await retrying(
          options.passwordStdin ? await readStdin() : undefined,
          () => askNewPassword(`${t("register.askPassword")} `),
          (password) => api.auth.register.mutate({ email, username, password, name: options.name }),
          refusedField("password"),
        );
        output(command, user, () =>
          process.stdout.write(`${t.markup("register.created", { green: greenTag, email: user.email })}\n`),
        );
      },
    );
}
