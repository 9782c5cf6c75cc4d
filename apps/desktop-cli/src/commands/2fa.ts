import type { Command } from "commander";
import QRCode from "qrcode";
import { authed, type Api } from "../client";
import { describeError, refusedField } from "../errors";
import { bold, boldTag, dim, greenTag, red } from "../output";
import { examples, jsonOption, output, serverOf } from "../program";
import { ask, ATTEMPTS, interactive, readPassword, retrying } from "../prompt";
import { t } from "../i18n";

function printRecoveryCodes(codes: string[]): void {
  process.stdout.write(`\n${t.markup("twoFactor.recoveryCodes", { bold: boldTag })}\n\n`);
  for (const recovery of codes) process.stdout.write(`  ${recovery}\n`);
  process.stdout.write(`\n${dim(t("twoFactor.keepSafe"))}\n`);
}

/** Turns two-factor authentication on with a code, asked again on a terminal when it is wrong. */
const enable = (server: string, given: string | undefined) =>
  retrying(
    given,
    () => ask(`${t("twoFactor.askCode")} `),
    (code) => authed(server, (api) => api.auth.twoFactor.enable.mutate({ code })),
    refusedField("code"),
  );

export function registerTwoFactorCommands(program: Command): void {
  const twoFactor = program
    .command("2fa")
    .description(t("twoFactor.description"))
    .addHelpText(
      "after",
      examples(
        `mastoc 2fa setup            # ${t("twoFactor.exampleSetup")}`,
        "mastoc 2fa status",
        `mastoc 2fa recovery-codes   # ${t("twoFactor.exampleCodes")}`,
        "mastoc 2fa disable",
        `mastoc 2fa setup --password-stdin --json < pw.txt && mastoc 2fa enable --code 123456   # ${t("twoFactor.exampleScripts")}`,
      ),
    );

  twoFactor
    .command("status")
    .description(t("twoFactor.status.description"))
    .addOption(jsonOption())
    .action(async (_options: unknown, command: Command) => {
      const status = await authed(serverOf(command), (api) => api.auth.twoFactor.status.query());
      output(command, status, () =>
        process.stdout.write(
          `${
            status.enabled
              ? t.markup("twoFactor.status.on", { green: greenTag, count: status.recoveryCodesLeft })
              : t("twoFactor.status.off")
          }\n`,
        ),
      );
    });

  twoFactor
    .command("setup")
    .description(t("twoFactor.setup.description"))
    .option("--password-stdin", t("twoFactor.setup.passwordStdin"))
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
        process.stdout.write(`${t("twoFactor.setup.scan")}\n\n${qr}\n`);
        process.stdout.write(
          `${t("twoFactor.setup.key", { key: bold(setup.secret) })}\n\n${dim(setup.otpauthUri)}\n\n`,
        );
      });
      // A person goes straight on to the first code; a script (no terminal, or --json) finishes with `2fa enable`.
      if (options.json || !interactive()) {
        if (!options.json) process.stdout.write(`${t("twoFactor.setup.then")}\n`);
        return;
      }
      const result = await enable(server, undefined);
      process.stdout.write(`${t.markup("twoFactor.on", { green: greenTag })}\n`);
      printRecoveryCodes(result.recoveryCodes);
    });

  twoFactor
    .command("enable")
    .description(t("twoFactor.enable.description"))
    .option("--code <code>", t("twoFactor.enable.code"))
    .addOption(jsonOption())
    .action(async (options: { code?: string }, command: Command) => {
      const result = await enable(serverOf(command), options.code);
      output(command, result, () => {
        process.stdout.write(`${t.markup("twoFactor.on", { green: greenTag })}\n`);
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
      .option("--code <code>", t("twoFactor.code"))
      .option("--password-stdin", t("twoFactor.passwordStdin"))
      .addOption(jsonOption())
      .action(async (options: { code?: string; passwordStdin?: boolean }, command: Command) => {
        const server = serverOf(command);
        const askCode = () => ask(`${t("twoFactor.askCodeOrRecovery")} `);
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
    t("twoFactor.disable.description"),
    (api, values) => api.auth.twoFactor.disable.mutate(values),
    (result) => process.stdout.write(`${t("twoFactor.disable.done", { count: result.otherSessionsRevoked })}\n`),
  );
  confirmed(
    "recovery-codes",
    t("twoFactor.regenerate.description"),
    (api, values) => api.auth.twoFactor.regenerateRecoveryCodes.mutate(values),
    (result) => printRecoveryCodes(result.recoveryCodes),
  );
}
