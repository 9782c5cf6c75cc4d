import { Command, Option } from "commander";
import { resolveServer } from "./client";
import { CliError } from "./errors";
import { printJson } from "./output";

/** The server for a command: from the global --server option, MASTOC_SERVER or the saved login. */
export function serverOf(command: Command): string {
  return resolveServer(command.optsWithGlobals<{ server?: string }>().server);
}

export const jsonOption = () => new Option("--json", "print the result as JSON (for scripts)");

/** Prints `value` as JSON with --json, otherwise with `human`. */
export function output<T>(command: Command, value: T, human: (value: T) => void): void {
  if (command.opts<{ json?: boolean }>().json) printJson(value);
  else human(value);
}

/** Parses a whole-number option; anything else is a usage error (exit 2). */
export function intOption(value: string): number {
  const parsed = Number.parseInt(value, 10);
  if (Number.isNaN(parsed)) throw new CliError(`"${value}" is not a number`, 2);
  return parsed;
}
