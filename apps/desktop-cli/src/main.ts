// `mastoc`: the command-line client of mastoc accounts. One module per top-level command, named
// like it, in `commands/`.
import { Command, CommanderError, Option } from "commander";
import { registerTwoFactorCommands } from "./commands/2fa";
import { registerAccountCommands } from "./commands/account";
import { registerAdminCommands } from "./commands/admin";
import { registerApiKeyCommands } from "./commands/apikeys";
import { registerAuditCommands } from "./commands/audit";
import { registerAvatarCommands } from "./commands/avatar";
import { registerClimbCommands } from "./commands/climbs";
import { complete, registerCompletionCommand } from "./commands/completion";
import { registerEmailCommands } from "./commands/email";
import { registerLoginCommands } from "./commands/login";
import { registerPasswordCommands } from "./commands/password";
import { registerProfileCommands } from "./commands/profile";
import { registerRegisterCommand } from "./commands/register";
import { registerServerCommands } from "./commands/servers";
import { registerSessionCommands } from "./commands/sessions";
import { registerUserCommands } from "./commands/users";
import { registerVersionCommand } from "./commands/version";
import { registerWhoamiCommand } from "./commands/whoami";
import { resolveServer } from "./client";
import { CliError, describeError, EXIT } from "./errors";
import { localizeCommands, t, translateCommanderMessage } from "./i18n";
import { red, useUtc } from "./output";
import { LOCALES } from "@mastoc/api/i18n/locales";
import { CLI_VERSION } from "./version";

const program = new Command()
  .name("mastoc")
  .description(t("description"))
  .version(`mastoc ${CLI_VERSION}`, "-V, --version", t("options.version"))
  .option("-s, --server <url>", t("options.server"))
  .addOption(new Option("--utc", t("options.utc")))
  // Read before the commands are built (cliLocale); declared here for --help and validation.
  .addOption(new Option("--lang <locale>", t("options.lang")).choices(LOCALES))
  .exitOverride()
  .configureOutput({ outputError: (text, write) => write(red(translateCommanderMessage(text))) })
  .hook("preAction", (_program, action) => useUtc(action.optsWithGlobals<{ utc?: boolean }>().utc === true))
  .addHelpText(
    "after",
    [
      "",
      t("help.examples", { count: 4 }),
      "  $ mastoc login --server https://accounts.example.com",
      "  $ mastoc climbs list --grade 7A",
      `  $ mastoc climbs delete cmx9f2      # ${t("help.exampleDelete")}`,
      "  $ source <(mastoc completion bash)",
      "",
      t("help.exitCodes"),
      t("help.environment"),
    ].join("\n"),
  );

registerLoginCommands(program);
registerRegisterCommand(program);
registerWhoamiCommand(program);
registerServerCommands(program);
registerProfileCommands(program);
registerAccountCommands(program);
registerAvatarCommands(program);
registerPasswordCommands(program);
registerEmailCommands(program);
registerTwoFactorCommands(program);
registerSessionCommands(program);
registerApiKeyCommands(program);
registerClimbCommands(program);
registerUserCommands(program);
registerAuditCommands(program);
registerAdminCommands(program);
registerVersionCommand(program);
registerCompletionCommand(program);

/** Parse errors anywhere in the tree end with exit code 2, not commander's process.exit(1). */
function overrideExits(command: Command): void {
  command.exitOverride();
  command.configureOutput(program.configureOutput());
  for (const sub of command.commands) overrideExits(sub);
}
overrideExits(program);
localizeCommands(program, t("help.afterErrorMain"));

try {
  if (process.argv[2] === "__complete") {
    await complete(program, process.argv.slice(3));
    // A suggestion request that timed out may leave a connection open: nothing more is needed.
    process.exit(EXIT.ok);
  }
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // Help and version end with 0; every parse error (unknown command or option, missing argument) is a usage error.
    process.exit(error.exitCode === 0 ? EXIT.ok : EXIT.usage);
  }
  if (error instanceof CliError) {
    process.stderr.write(`mastoc: ${error.message}\n`);
    process.exit(error.exitCode);
  }
  let server = t("errors.theServer");
  try {
    server = resolveServer(program.opts<{ server?: string }>().server);
  } catch {
    // keep the generic wording
  }
  process.stderr.write(`mastoc: ${describeError(error, server)}\n`);
  process.exit(EXIT.error);
}
