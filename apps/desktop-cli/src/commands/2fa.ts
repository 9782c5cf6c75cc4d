import type { Command } from "commander";
import QRCode from "qrcode";
import { authed, type Api } from "../client";
import { bold, dim, green } from "../output";
import { jsonOption, output, serverOf } from "../program";
import { ask, readPassword } from "../prompt";

const code = async (options: { code?: string }, question: string) => options.code ?? (await ask(question));

function printRecoveryCodes(codes: string[]): void {
  process.stdout.write(`\n${bold("Recovery codes")} (each works once instead of a code; shown only now):\n\n`);
  for (const recovery of codes) process.stdout.write(`  ${recovery}\n`);
  process.stdout.write(`\n${dim("Keep them somewhere safe, apart from your phone.")}\n`);
}

export function registerTwoFactorCommands(program: Command): void {
  const twoFactor = program
    .command("2fa")
    .description("two-factor authentication with an authenticator app (TOTP)")
    .addHelpText(
      "after",
      "\nExamples:\n  $ mastoc 2fa setup            # scan the QR code, then:\n  $ mastoc 2fa enable --code 123456\n  $ mastoc 2fa status\n  $ mastoc 2fa recovery-codes   # new recovery codes\n  $ mastoc 2fa disable",
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
    .description("start enrolling an authenticator app: prints a QR code and the otpauth URI")
    .option("--password-stdin", "read the password from standard input")
    .addOption(jsonOption())
    .action(async (options: { passwordStdin?: boolean }, command: Command) => {
      const confirmed = await readPassword(options);
      const setup = await authed(serverOf(command), (api) => api.auth.twoFactor.setup.mutate({ password: confirmed }));
      const { qrSvg: _svg, ...printable } = setup;
      const qr = await QRCode.toString(setup.otpauthUri, { type: "terminal", small: true });
      output(command, printable, () => {
        process.stdout.write(`Scan this QR code with your authenticator app:\n\n${qr}\n`);
        process.stdout.write(`or enter the key ${bold(setup.secret)}\n\n${dim(setup.otpauthUri)}\n\n`);
        process.stdout.write("Then turn it on with `mastoc 2fa enable` and a code from the app.\n");
      });
    });

  twoFactor
    .command("enable")
    .description("turn two-factor authentication on with a code from the app; prints 10 recovery codes")
    .option("--code <code>", "the 6-digit code (asked for when omitted)")
    .addOption(jsonOption())
    .action(async (options: { code?: string }, command: Command) => {
      const confirmed = await code(options, "Code from the app: ");
      const result = await authed(serverOf(command), (api) => api.auth.twoFactor.enable.mutate({ code: confirmed }));
      output(command, result, () => {
        process.stdout.write(`Two-factor authentication is ${green("on")}.\n`);
        printRecoveryCodes(result.recoveryCodes);
      });
    });

  /** A change that needs the password and a code (or a recovery code). */
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
        const values = {
          password: await readPassword(options),
          code: await code(options, "Code from the app (or a recovery code): "),
        };
        const result = await authed(serverOf(command), (api) => run(api, values));
        output(command, result, print);
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
