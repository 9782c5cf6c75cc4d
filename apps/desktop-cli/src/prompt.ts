import { text } from "node:stream/consumers";
import { read } from "read";
import { CliError, EXIT } from "./errors";

/**
 * Asks a question on the terminal (on stderr, so that stdout stays clean for --json); with
 * `hidden`, what is typed is not echoed. Without a terminal there is no one to ask: scripts pass
 * the value as an option or on standard input instead.
 */
export async function ask(question: string, hidden = false): Promise<string> {
  if (!process.stdin.isTTY) {
    throw new CliError(
      `Cannot prompt for "${question.replace(/:\s*$/, "")}" without a terminal; pass it as an option.`,
      EXIT.usage,
    );
  }
  const answer = await read({ prompt: question, silent: hidden, output: process.stderr }).catch((error: unknown) => {
    // Ctrl-C leaves the cursor on the prompt's line.
    process.stderr.write("\n");
    if (error instanceof Error && error.message === "canceled") throw new CliError("Cancelled.", EXIT.interrupted);
    throw error;
  });
  // A hidden answer's newline is muted with it.
  if (hidden) process.stderr.write("\n");
  return answer;
}

/** Reads a secret piped on standard input (`--password-stdin`), without its trailing newline. */
export async function readStdin(): Promise<string> {
  return (await text(process.stdin)).replace(/\r?\n$/, "");
}

/**
 * The password of a command that confirms with one: from standard input with --password-stdin
 * (for scripts), otherwise asked for without echo. An empty password is a usage error.
 */
export async function readPassword(options: { passwordStdin?: boolean }): Promise<string> {
  const password = options.passwordStdin ? await readStdin() : await ask("Password: ", true);
  if (!password) throw new CliError("The password is empty.", EXIT.usage);
  return password;
}
