// Asking a person at the keyboard; refusing (exit 2) when there is none, so that a script never
// hangs on a prompt.
import { text } from "node:stream/consumers";
import { read } from "read";
import { CliError, describeError, EXIT } from "./errors";
import { t } from "./i18n";
import { red } from "./output";

/** How many times a value that the server refused as wrong (a password, a code) is asked in all. */
export const ATTEMPTS = 3;

/** Whether a person can answer: prompts read standard input and are written to stderr. */
export const interactive = () => process.stdin.isTTY === true;

/**
 * Asks a question on the terminal (on stderr, so that stdout stays clean for --json); with
 * `hidden`, what is typed is not echoed. Without a terminal there is no one to ask: scripts pass
 * the value as an option or on standard input instead.
 */
export async function ask(question: string, hidden = false): Promise<string> {
  if (!interactive()) {
    const asked = question.replace(/[\s\u00a0]*[:?][\s\u00a0]*$/, "");
    throw new CliError(t("errors.cannotPrompt", { question: asked }), EXIT.usage);
  }
  const answer = await read({ prompt: question, silent: hidden, output: process.stderr }).catch((error: unknown) => {
    // Ctrl-C leaves the cursor on the prompt's line.
    process.stderr.write("\n");
    if (error instanceof Error && error.message === "canceled")
      throw new CliError(t("errors.cancelled"), EXIT.interrupted);
    throw error;
  });
  // A hidden answer's newline is muted with it.
  if (hidden) process.stderr.write("\n");
  return answer;
}

/**
 * The value of a required option: as given, else asked for on a terminal; without one, the
 * usage error commander gives for a missing required option.
 */
export async function required(value: string | undefined, flags: string, question: string): Promise<string> {
  if (value !== undefined) return value;
  if (!interactive()) throw new CliError(t("commander.requiredOption", { option: `'${flags}'` }), EXIT.usage);
  return ask(question);
}

/** Reads a secret piped on standard input (`--password-stdin`), without its trailing newline. */
export async function readStdin(): Promise<string> {
  return (await text(process.stdin)).replace(/\r?\n$/, "");
}

/**
 * The password of a command that confirms with one: from standard input with --password-stdin
 * (for scripts), otherwise asked for without echo. An empty password is a usage error.
 */
export async function readPassword(
  options: { passwordStdin?: boolean },
  question = `${t("prompt.password")} `,
): Promise<string> {
  const password = options.passwordStdin ? await readStdin() : await ask(question, true);
  if (!password) throw new CliError(t("errors.emptyPassword"), EXIT.usage);
  return password;
}

/** A new password, typed twice on a terminal; asked again (up to 3 times) while the two differ. */
export async function askNewPassword(question = `${t("prompt.newPassword")} `): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    const first = await ask(question, true);
    if (!first) throw new CliError(t("errors.emptyPassword"), EXIT.usage);
    if ((await ask(`${t("prompt.confirmPassword")} `, true)) === first) return first;
    if (attempt >= ATTEMPTS) throw new CliError(t("errors.passwordsDiffer"), EXIT.usage);
    process.stderr.write(red(t("errors.passwordsDifferRetry")) + "\n");
  }
}

/**
 * Runs `attempt` with a value; when the value was asked for (not given as an option or on standard
 * input) and the server refuses it as wrong, shows why and asks again, up to 3 times in all.
 */
export async function retrying<T>(
  given: string | undefined,
  askValue: () => Promise<string>,
  attempt: (value: string) => Promise<T>,
  isWrong: (error: unknown) => boolean,
): Promise<T> {
  let value = given ?? (await askValue());
  for (let tries = 1; ; tries++) {
    try {
      return await attempt(value);
    } catch (error) {
      if (given !== undefined || tries >= ATTEMPTS || !isWrong(error)) throw error;
      process.stderr.write(red(describeError(error, "")) + "\n");
      value = await askValue();
    }
  }
}

/** What a destructive command does, as the catalog's `confirm` messages name it. */
export type ConfirmVerb = "delete" | "revoke" | "signOut";

/**
 * Confirms a destructive action: `--yes` skips it; without a terminal it is refused (exit 2). On a
 * terminal, `what` names the thing; with `typed`, the person must type that word (for what no one
 * should confirm at a keystroke: an account), otherwise yes (y, or the language's own word).
 */
export async function confirmAction(
  options: { yes?: boolean },
  verb: ConfirmVerb,
  what: string,
  typed?: string,
): Promise<void> {
  if (options.yes) return;
  if (!interactive()) throw new CliError(t("confirm.refused", { verb, what }), EXIT.usage);
  const question = t("confirm.question", { verb, what });
  const answer = typed
    ? await ask(`${question} ${t("confirm.typeToConfirm", { typed })} `)
    : await ask(`${question} ${t("confirm.yesNo")} `);
  const yes = new RegExp(`^(?:y|yes|${t("confirm.yesAnswers")})$`, "i");
  const confirmed = typed ? answer.trim() === typed : yes.test(answer.trim());
  if (!confirmed) throw new CliError(t("confirm.nothingDone", { verb }), EXIT.error);
}
