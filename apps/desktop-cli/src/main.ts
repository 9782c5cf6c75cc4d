// `mastoc`: the command-line client of mastoc accounts.
import { Command, CommanderError } from "commander";
import { registerAccountCommands } from "./commands/account";
import { registerAdminCommands } from "./commands/admin";
import { registerAuthCommands } from "./commands/auth";
import { registerClimbCommands } from "./commands/climbs";
import { registerProfileCommands } from "./commands/profile";
import { registerEmailCommands } from "./commands/email";
import { registerTwoFactorCommands } from "./commands/two-factor";
import { resolveServer } from "./client";
import { CliError, describeError, EXIT } from "./errors";
import { red } from "./output";

const program = new Command()
  .name("mastoc")
  .description("The mastoc accounts command-line client.")
  .option("-s, --server <url>", "server URL (default: $MASTOC_SERVER, the saved login, or http://localhost:3000)")
  .showHelpAfterError("(run `mastoc --help` for usage)")
  .exitOverride()
  .configureOutput({ outputError: (text, write) => write(red(text)) })
  .addHelpText(
    "after",
    "\nExit codes: 0 ok, 1 error, 2 usage, 3 not signed in or session expired, 130 cancelled (Ctrl-C at a prompt).\nEnvironment: MASTOC_SERVER, MASTOC_HOME (default ~/.mastoc), NO_COLOR, FORCE_COLOR.",
  );

registerAuthCommands(program);
registerProfileCommands(program);
registerAccountCommands(program);
registerEmailCommands(program);
registerTwoFactorCommands(program);
registerClimbCommands(program);
registerAdminCommands(program);

/** Parse errors anywhere in the tree end with exit code 2, not commander's process.exit(1). */
function overrideExits(command: Command): void {
  command.exitOverride();
  command.showHelpAfterError("(add --help for usage)");
  for (const sub of command.commands) overrideExits(sub);
}
overrideExits(program);

try {
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
  let server = "the server";
  try {
    server = resolveServer(program.opts<{ server?: string }>().server);
  } catch {
    // keep the generic wording
  }
  process.stderr.write(`mastoc: ${describeError(error, server)}\n`);
  process.exit(EXIT.error);
}
