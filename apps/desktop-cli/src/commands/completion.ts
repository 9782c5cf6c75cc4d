// Shell completion. The scripts that `mastoc completion <shell>` prints hold no command names:
// at each Tab they ask `mastoc __complete <shell> <words…>`, which walks the live command tree
// (commands, options, the choices declared on options and arguments) and so can never drift from
// it. A few values come from elsewhere: grades (the API's own grade rule), the saved servers, and,
// when signed in, the IDs of one's own climbs, sessions and API keys (asked of the server with a
// short time limit; a failure only means no suggestions).
import { Argument, type Command, type Option } from "commander";
import { gradeSchema } from "@mastoc/api/schemas";
import { authed, resolveServer } from "../client";
import { examples } from "../program";
import { savedServers } from "./servers";
import { readStore } from "../store";
import { t } from "../i18n";

export const SHELLS = ["bash", "zsh", "fish"] as const;
type Shell = (typeof SHELLS)[number];

type Suggestion = { value: string; description?: string };
type Provider = (server: string) => Promise<Suggestion[]> | Suggestion[];

const API_TIMEOUT_MS = 3_000;

/** Every grade the API accepts, generated and checked against its own rule. */
function grades(): Suggestion[] {
  const candidates = [
    ...["3", "4", "5"].flatMap((grade) => [grade, `${grade}+`]),
    ...["6", "7", "8", "9"].flatMap((digit) =>
      ["A", "B", "C"].flatMap((letter) => [`${digit}${letter}`, `${digit}${letter}+`]),
    ),
    "VB",
    ...Array.from({ length: 18 }, (_, index) => `V${index}`),
    ...["3", "4", "5", "6", "7", "8", "9"].flatMap((digit) =>
      ["a", "b", "c"].flatMap((letter) => [`${digit}${letter}`, `${digit}${letter}+`]),
    ),
  ];
  return candidates.filter((grade) => gradeSchema.safeParse(grade).success).map((value) => ({ value }));
}

const servers: Provider = () =>
  savedServers().map((row) => ({
    value: row.server,
    description: row.user
      ? row.default
        ? t("completion.isDefault", { username: row.user.username })
        : row.user.username
      : t("completion.notSignedIn"),
  }));

/** Asks the server only when signed in, and never for longer than the time limit. */
const fromApi =
  (fetchRows: (server: string) => Promise<Suggestion[]>): Provider =>
  async (server) => {
    if (!readStore().servers[server]) return [];
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<Suggestion[]>((resolve) => (timer = setTimeout(() => resolve([]), API_TIMEOUT_MS)));
    try {
      return await Promise.race([fetchRows(server).catch(() => []), timeout]);
    } finally {
      clearTimeout(timer);
    }
  };

const ownClimbs = fromApi((server) =>
  authed(server, async (api, auth) => {
    const page = await api.climbs.list.query({ creatorId: auth.user.id, pageSize: 100 });
    return page.items.map((climb) => ({ value: climb.id, description: `${climb.name} (${climb.grade})` }));
  }),
);
const ownSessions = fromApi((server) =>
  authed(server, async (api) =>
    (await api.auth.sessions.query()).map((session) => ({
      value: session.id,
      description: t("completion.session", {
        kind: session.kind,
        current: session.current ? "yes" : "no",
        client: session.userAgent ?? t("sessions.unknownClient"),
      }),
    })),
  ),
);
const ownKeys = fromApi((server) =>
  authed(server, async (api) =>
    (await api.apiKeys.list.query())
      .filter((key) => !key.revokedAt)
      .map((key) => ({ value: key.id, description: `${key.name} (${key.prefix}…)` })),
  ),
);

/** Values of arguments that no choice list declares, by command path (`climbs/show`). */
const argumentValues: Record<string, Provider> = {
  "climbs/show": ownClimbs,
  "climbs/update": ownClimbs,
  "climbs/delete": ownClimbs,
  "sessions/revoke": ownSessions,
  "apikeys/revoke": ownKeys,
  "servers/default": servers,
  "servers/remove": servers,
};
/** Values of options that no choice list declares, by long flag. */
const optionValues: Record<string, Provider> = { "--grade": () => grades(), "--server": servers };

const pathOf = (command: Command): string => {
  const names: string[] = [];
  for (let current: Command | null = command; current?.parent; current = current.parent) names.unshift(current.name());
  return names.join("/");
};

/** The options a command accepts: its own, its ancestors' (global) ones, and --help. */
function optionsOf(command: Command): Option[] {
  const options: Option[] = [];
  for (let current: Command | null = command; current; current = current.parent) {
    options.push(
      ...current
        .createHelp()
        .visibleOptions(current)
        .filter((option) => !options.some((o) => o.long === option.long)),
    );
  }
  return options.filter((option) => !option.hidden);
}

const findOption = (command: Command, flag: string) =>
  optionsOf(command).find((option) => option.long === flag || option.short === flag);

const takesValue = (option: Option) => option.required || option.optional;

const choices = (values: readonly string[] | undefined): Suggestion[] => (values ?? []).map((value) => ({ value }));

/** What may come at the end of `words` (the command line after `mastoc`, the last word being typed). */
export async function suggestions(program: Command, words: string[]): Promise<Suggestion[]> {
  const current = words.at(-1) ?? "";
  let command = program;
  let pending: Option | null = null;
  let positional = 0;
  let server: string | undefined;
  for (const word of words.slice(0, -1)) {
    if (pending) {
      if (pending.long === "--server") server = word;
      pending = null;
      continue;
    }
    if (word.startsWith("-")) {
      const option = word.includes("=") ? null : findOption(command, word);
      if (option && takesValue(option)) pending = option;
      continue;
    }
    const sub =
      positional === 0
        ? command.commands.find((child) => child.name() === word || child.aliases().includes(word))
        : undefined;
    if (sub) command = sub;
    else positional++;
  }
  const serverUrl = () => {
    try {
      return resolveServer(server);
    } catch {
      return "";
    }
  };

  let found: Suggestion[];
  if (pending) {
    const provider = optionValues[pending.long ?? ""];
    found = pending.argChoices ? choices(pending.argChoices) : provider ? await provider(serverUrl()) : [];
  } else if (current.startsWith("-")) {
    found = optionsOf(command).flatMap((option) =>
      option.long ? [{ value: option.long, description: option.description }] : [],
    );
  } else if (positional === 0 && command.commands.length > 0) {
    found = command
      .createHelp()
      .visibleCommands(command)
      .map((child) => ({ value: child.name(), description: child.description() }));
  } else {
    const argument: Argument | undefined = command.registeredArguments[positional];
    const provider = positional === 0 ? argumentValues[pathOf(command)] : undefined;
    found = argument?.argChoices ? choices(argument.argChoices) : provider ? await provider(serverUrl()) : [];
  }
  return found.filter((suggestion) => suggestion.value.startsWith(current));
}

const oneLine = (text = "") => text.replace(/\s+/g, " ").trim();

/** Suggestions in the shell's format: bare values (bash), `value:description` (zsh), tab-separated (fish). */
export function formatSuggestions(shell: Shell, found: Suggestion[]): string {
  const line = (suggestion: Suggestion) => {
    const description = oneLine(suggestion.description);
    if (shell === "bash" || !description)
      return shell === "zsh" ? suggestion.value.replace(/:/g, "\\:") : suggestion.value;
    return shell === "zsh"
      ? `${suggestion.value.replace(/:/g, "\\:")}:${description}`
      : `${suggestion.value}\t${description}`;
  };
  return found.map(line).join("\n") + (found.length > 0 ? "\n" : "");
}

const SCRIPTS: Record<Shell, string> = {
  bash: `# mastoc completion for bash. Load it with: source <(mastoc completion bash)
# or save it as ~/.local/share/bash-completion/completions/mastoc
_mastoc() {
  local cur words cword
  if declare -F _get_comp_words_by_ref >/dev/null 2>&1; then
    _get_comp_words_by_ref -n =: cur words cword
  else
    cur="\${COMP_WORDS[COMP_CWORD]}"
    words=("\${COMP_WORDS[@]}")
    cword=$COMP_CWORD
  fi
  local IFS=$'\\n'
  COMPREPLY=($(command mastoc __complete bash "\${words[@]:1:cword-1}" "$cur" 2>/dev/null))
  if declare -F __ltrim_colon_completions >/dev/null 2>&1; then
    __ltrim_colon_completions "$cur"
  fi
}
complete -o default -F _mastoc mastoc
`,
  zsh: `#compdef mastoc
# mastoc completion for zsh. Load it with: source <(mastoc completion zsh) (after compinit),
# or save it as _mastoc in a folder of your $fpath.
_mastoc() {
  local -a found
  found=("\${(@f)$(command mastoc __complete zsh "\${(@)words[2,CURRENT-1]}" "\${words[CURRENT]}" 2>/dev/null)}")
  found=(\${found:#})
  if (( \${#found} == 0 )); then
    _files
    return
  fi
  _describe -t mastoc 'mastoc' found
}
if [[ "\${zsh_eval_context[-1]}" == loadautofunc ]]; then
  _mastoc "$@"
else
  compdef _mastoc mastoc
fi
`,
  fish: `# mastoc completion for fish. Load it with: mastoc completion fish | source
# or save it as ~/.config/fish/completions/mastoc.fish
function __mastoc_complete
    set -l words (commandline -opc)
    set -e words[1]
    command mastoc __complete fish $words (commandline -ct) 2>/dev/null
end
complete -c mastoc -f -a '(__mastoc_complete)'
`,
};

export function registerCompletionCommand(program: Command): void {
  program
    .command("completion")
    .description(t("completion.description"))
    .addArgument(new Argument("<shell>", t("completion.shell")).choices(SHELLS))
    .addHelpText(
      "after",
      examples(
        "mastoc completion fish > ~/.config/fish/completions/mastoc.fish",
        `source <(mastoc completion bash)     # ${t("completion.inBashrc")}`,
        `source <(mastoc completion zsh)      # ${t("completion.inZshrc")}`,
      ) + `\n\n${t("completion.completes")}`,
    )
    .action((shell: Shell) => {
      process.stdout.write(SCRIPTS[shell]);
    });
}

/** `mastoc __complete <shell> <words…>`: answered before commander parses anything. */
export async function complete(program: Command, args: string[]): Promise<void> {
  const [shell, ...words] = args;
  if (!SHELLS.includes(shell as Shell)) return;
  process.stdout.write(formatSuggestions(shell as Shell, await suggestions(program, words.length ? words : [""])));
}
