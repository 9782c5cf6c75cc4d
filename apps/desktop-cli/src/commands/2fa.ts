import type { Command } from "commander";
import QRCode from "qrcode";
import { authed, type Api } from "../client";
import { describeError, refusedField } from "../errors";
import { bold, dim, green, red } from "../output";
import { examples, jsonOption, output, serverOf } from "../program";
import { ask, ATTEMPTS, interactive, readPassword, retrying } from "../prompt";

function printRecoveryCodes(codes: string[]): void {
  process.stdout.write(`\n${bold("Recovery codes")} (each works once instead of a code; shown only now):\n\n`);
  for (const recovery of codes) process.stdout.write(`  ${recovery}\n`);
  process.stdout.write(`\n${dim("Keep them somewhere safe, apart from your phone.")}\n`);
}

/** Turns two-factor authentication on with a code, asked again on a terminal when it is wrong. */
const enable = (server: string, given: string | undefined) =>
  retrying(
    given,
    () => ask("Code from the app: "),
    (code) => authed(server, (api) => api.auth.twoFactor.enable.mutate({ code })),
    refusedField("code"),
  );

export function registerTwoFactorCommands(program: Command): void {
  const twoFactor = program
    .command("2fa")
    .description("two-factor authentication with an authenticator app (TOTP)")
    .addHelpText(
      "after",
      examples(
        "mastoc 2fa setup            # scan the QR code, type a code: done",
        "mastoc 2fa status",
        "mastoc 2fa recovery-codes   # new recovery codes",
        "mastoc 2fa disable",
        "mastoc 2fa setup --password-stdin --json < pw.txt && mastoc 2fa enable --code 123456   # scripts",
      ),
    );

  twoFactor
    .command("status")
    .description("whether two-factor authentication is on, and how many recovery codes are left")
    .addOption(jsonOption())
    .action(async (_options: unknown, command: Command) => {
      const status = await authed(serverOf(command), (api) => api.auth.twoFactor.status.query());
      output(command, status, () =>
        process.stdout.write(
          status.enabled
            ? `Two-factor authentication is ${green("on")}; ${status.recoveryCodesLeft} recovery code(s) left.\n`
            : "Two-factor authentication is off. Turn it on with `mastoc 2fa setup`.\n",
        ),
      );
    });

  twoFactor
    .command("setup")
    .description(
      "enroll an authenticator app: shows a QR code, then (on a terminal) asks for a first code and turns it on",
    )
    .option("--password-stdin", "read the password from standard input (then finish with `2fa enable`)")
    .addOption(jsonOption())
    .action(async (options: { passwordStdin?: boolean; json?: boolean }, command: Command) => {
      const server = serverOf(command);
      const setup = await retrying(
        options.passwordStdin ? await readPassword(options) : undefined,
        () => readPassword({}),
        (password) => authed(server, (api) => api.auth.twoFactor.setup.mutate({ password })),
        refusedField("password"),
      );
      const { qrSvg: _svg, ...printable } = setup;
      const qr = await QRCode.toString(setup.otpauthUri, { type: "terminal", small: true });
      output(command, printable, () => {
        process.stdout.write(`Scan this QR code with your authenticator app:\n\n${qr}\n`);
        process.stdout.write(`or enter the key ${bold(setup.secret)}\n\n${dim(setup.otpauthUri)}\n\n`);
      });
      // A person goes straight on to the first code; a script (no terminal, or --json) finishes with `2fa enable`.
      if (options.json || !interactive()) {
        if (!options.json) process.stdout.write("Then turn it on with `mastoc 2fa enable` and a code from the app.\n");
        return;
      }
      const result = await enable(server, undefined);
      process.stdout.write(`Two-factor authentication is ${green("on")}.\n`);
      printRecoveryCodes(result.recoveryCodes);
    });

  twoFactor
    .command("enable")
    .description("turn two-factor authentication on with a code from the app (after `2fa setup` in scripts)")
    .option("--code <code>", "the 6-digit code (asked for when omitted)")
    .addOption(jsonOption())
    .action(async (options: { code?: string }, command: Command) => {
      const result = await enable(serverOf(command), options.code);
      output(command, result, () => {
        process.stdout.write(`Two-factor authentication is ${green("on")}.\n`);
        printRecoveryCodes(result.recoveryCodes);
      });
    });

  /**
   * A change that needs the password and a code (or a recovery code). On a terminal, whichever of
   * the two the server finds wrong is asked again, up to 3 tries in all.
   */
  const confirmed = <T>(
    name: string,
    description: string,
    run: (api: Api, values: { password: string; code: string }) => Promise<T>,
    print: (result: T) => void,
  ) =>
    twoFactor
      .command(name)
      .description(description)
      .option("--code <code>", "a code from the app, or a recovery code (asked for when omitted)")
      .option("--password-stdin", "read the password from standard input")
      .addOption(jsonOption())
      .action(async (options: { code?: string; passwordStdin?: boolean }, command: Command) => {
        const server = serverOf(command);
        const askCode = () => ask("Code from the app (or a recovery code): ");
        const values = {
          password: await readPassword(options),
          code: options.code ?? (await askCode()),
        };
        for (let tries = 1; ; tries++) {
          try {
            const result = await authed(server, (api) => run(api, values));
            output(command, result, print);
            return;
          } catch (error) {
            const wrongPassword = !options.passwordStdin && refusedField("password")(error);
            const wrongCode = options.code === undefined && refusedField("code")(error);
            if (tries >= ATTEMPTS || !interactive() || !(wrongPassword || wrongCode)) throw error;
            process.stderr.write(red(describeError(error, server)) + "\n");
            if (wrongPassword) values.password = await readPassword({});
            else values.code = await askCode();
          }
        }
      });

  confirmed(
    "disable",
    "turn two-factor authentication off (your other sessions are signed out)",
    (api, values) => api.auth.twoFactor.disable.mutate(values),
    (result) =>
      process.stdout.write(
        `Two-factor authentication is off; ${result.otherSessionsRevoked} other session(s) signed out.\n`,
      ),
  );
  confirmed(
    "recovery-codes",
    "replace your recovery codes (the old ones stop working)",
    (api, values) => api.auth.twoFactor.regenerateRecoveryCodes.mutate(values),
    (result) => printRecoveryCodes(result.recoveryCodes),
  );
}
