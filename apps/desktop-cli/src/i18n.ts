// The CLI's language: `--lang en|fr`, else the POSIX locale (LC_ALL, then LC_MESSAGES, then LANG;
// C and POSIX are English), else English. Its words come from the `cli` catalog shared with the
// server, commander's own ones included; the server is asked (Accept-Language) to answer in it too.
import { Help, type Argument, type Command, type Option } from "commander";
import { isLocale, translator, type Locale } from "@mastoc/api/i18n";

/** The locale a POSIX locale value names ("fr_FR.UTF-8" → fr), or null (unset, C, POSIX, unsupported). */
function posixLocale(value: string | undefined): Locale | null {
  const language = value?.split(/[_.@]/)[0]?.toLowerCase();
  return isLocale(language) ? language : null;
}

/** `--lang <locale>` or `--lang=<locale>` among the arguments, if any. */
function langOption(argv: string[]): string | undefined {
  for (const [index, argument] of argv.entries()) {
    if (argument === "--") return undefined;
    if (argument === "--lang") return argv[index + 1];
    if (argument.startsWith("--lang=")) return argument.slice("--lang=".length);
  }
  return undefined;
}

/** The language of this run, from the arguments and the environment. */
export function cliLocale(argv: string[], env: NodeJS.ProcessEnv): Locale {
  const asked = langOption(argv);
  if (isLocale(asked)) return asked;
  // The first of LC_ALL, LC_MESSAGES, LANG that is set decides, as for any POSIX program.
  const set = [env.LC_ALL, env.LC_MESSAGES, env.LANG].find((value) => value !== undefined && value !== "");
  return posixLocale(set) ?? "en";
}

export const locale: Locale = cliLocale(process.argv.slice(2), process.env);

/** The `cli` catalog in this run's language. */
export const t = translator(locale, "cli");

const titles: Record<string, string> = {
  "Usage:": t("help.usage"),
  "Arguments:": t("help.arguments"),
  "Options:": t("help.options"),
  "Global Options:": t("help.globalOptions"),
  "Commands:": t("help.commands"),
};

/** Commander's own error messages, as it writes them, and their words in this run's language. */
const commanderErrors: [RegExp, (match: RegExpExecArray) => string][] = [
  [/^error: unknown option ('[^']*')/, (m) => t("commander.unknownOption", { option: m[1]! })],
  [/^error: unknown command ('[^']*')/, (m) => t("commander.unknownCommand", { command: m[1]! })],
  [/^error: missing required argument ('[^']*')/, (m) => t("commander.missingArgument", { argument: m[1]! })],
  [/^error: option ('[^']*') argument missing/, (m) => t("commander.optionArgumentMissing", { option: m[1]! })],
  [/^error: required option ('[^']*') not specified/, (m) => t("commander.requiredOption", { option: m[1]! })],
  [/^error: too many arguments.*/, () => t("commander.tooManyArguments")],
  [
    /^error: option ('[^']*') argument ('[^']*') is invalid\./,
    (m) => t("commander.invalidOptionArgument", { option: m[1]!, value: m[2]! }),
  ],
  [
    /^error: command-argument value ('[^']*') is invalid for argument ('[^']*')\./,
    (m) => t("commander.invalidArgument", { value: m[1]!, argument: m[2]! }),
  ],
  [/\(Did you mean (.+)\?\)/, (m) => t("commander.didYouMean", { suggestion: m[1]! })],
  [/Allowed choices are (.+)\.$/, (m) => t("commander.allowedChoices", { values: m[1]! })],
  [/^error: (.+) cannot be used with (.+)$/, (m) => t("commander.conflictingOption", { option: m[1]!, other: m[2]! })],
];

/** A message commander wrote, in this run's language (line by line; unknown lines stay as they are). */
export function translateCommanderMessage(text: string): string {
  if (locale === "en") return text;
  return text
    .split("\n")
    .map((line) =>
      // A line may hold several of them: an invalid value, then its allowed choices.
      commanderErrors.reduce((text, [pattern, words]) => {
        const match = pattern.exec(text);
        return match ? text.replace(match[0], words(match)) : text;
      }, line),
    )
    .join("\n");
}

const choicesOf = (choices: readonly string[] | undefined) =>
  choices && t("help.choices", { values: choices.map((choice) => JSON.stringify(choice)).join(", ") });

const defaultOf = (value: unknown, description: string | undefined) =>
  value === undefined ? undefined : t("help.defaultValue", { value: description || JSON.stringify(value) });

/** A description followed by its choices and default, "(choices: …, default: …)", as commander writes it. */
const described = (description: string, extras: (string | undefined)[]) => {
  const shown = extras.filter((extra) => extra !== undefined);
  if (shown.length === 0) return description;
  return [description, `(${shown.join(", ")})`].filter(Boolean).join(" ");
};

/** Stands for a no-break space while commander wraps help (a private-use character). */
const NO_BREAK = "\ue000";

/** Help whose section titles are in this run's language. */
class LocalizedHelp extends Help {
  // Commander breaks lines at any white space, no-break spaces included: "mot\u00a0:" stays whole.
  override boxWrap(text: string, width: number): string {
    return super.boxWrap(text.replaceAll("\u00a0", NO_BREAK), width).replaceAll(NO_BREAK, "\u00a0");
  }

  override styleTitle(title: string): string {
    return super.styleTitle(titles[title] ?? title);
  }

  // As commander words an option's or argument's choices and default, in this run's language.
  override optionDescription(option: Option): string {
    // Commander shows a default only for options that take a value, and true/false for a boolean.
    const showDefault =
      option.required || option.optional || (option.isBoolean() && typeof option.defaultValue === "boolean");
    return described(option.description, [
      choicesOf(option.argChoices),
      showDefault ? defaultOf(option.defaultValue, option.defaultValueDescription) : undefined,
      option.envVar === undefined ? undefined : `env: ${option.envVar}`,
    ]);
  }

  override argumentDescription(argument: Argument): string {
    return described(argument.description, [
      choicesOf(argument.argChoices),
      defaultOf(argument.defaultValue, argument.defaultValueDescription),
    ]);
  }
}

/**
 * Puts `command` and its subcommands in this run's language: help titles, the help option and
 * command, and the line after a usage error. Called once the tree is built.
 */
export function localizeCommands(command: Command, afterError = t("help.afterError")): void {
  command.createHelp = () => Object.assign(new LocalizedHelp(), command.configureHelp());
  command.helpOption("-h, --help", t("options.help"));
  if (command.commands.length > 0) command.helpCommand("help [command]", t("help.command"));
  command.showHelpAfterError(afterError);
  for (const sub of command.commands) localizeCommands(sub);
}
