import { InvalidArgumentError, Option, type Command } from "commander";
import { resolveServer } from "./client";
import { t } from "./i18n";
import { printJson } from "./output";

/** The server for a command: from the global --server option, MASTOC_SERVER or the default saved server. */
export function serverOf(command: Command): string {
  return resolveServer(command.optsWithGlobals<{ server?: string }>().server);
}

export const jsonOption = () => new Option("--json", t("options.json"));

/** Skips the confirmation of a destructive command (needed without a terminal). */
export const yesOption = () => new Option("-y, --yes", t("options.yes"));

/** Prints `value` as JSON with --json, otherwise with `human`. */
export function output<T>(command: Command, value: T, human: (value: T) => void): void {
  if (command.opts<{ json?: boolean }>().json) printJson(value);
  else human(value);
}

/** Parses a whole-number option; anything else is commander's usage error (exit 2) naming the option. */
export function intOption(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError(t("errors.wholeNumber"));
  return Number.parseInt(value, 10);
}

/** "Examples:" lines for --help. */
export const examples = (...lines: string[]) =>
  `\n${t("help.examples", { count: lines.length })}\n${lines.map((line) => `  $ ${line}`).join("\n")}`;
