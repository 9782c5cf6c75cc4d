// Shell completion loaded in real bash, zsh (in a pseudo-terminal, pressing Tab) and fish,
// completing commands, option values and the IDs of one's own climbs, sessions and keys.
import { execFile } from "node:child_process";
import { mkdtempSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { promisify, stripVTControlCharacters } from "node:util";
import { spawn as spawnTerminal } from "@lydell/node-pty";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startPortal, trpcClient, type Portal } from "@mastoc/web/test-support";
import { mastoc } from "./mastoc";

// Each test runs the real CLI many times, on a machine that other work may be loading.
vi.setConfig({ testTimeout: 180_000 });

const run = promisify(execFile);
const PASSWORD = "Granite-Overhang-Crimp-42";
let portal: Portal;
let home: string;
/** A folder with `mastoc` in it, first on the PATH, as after an install. */
let path: string;

beforeAll(async () => {
  portal = await startPortal({ provider: "sqlite" });
  const bin = mkdtempSync(join(tmpdir(), "mastoc-bin-"));
  symlinkSync(resolve(import.meta.dirname, "..", "bin", "mastoc.mjs"), join(bin, "mastoc"));
  path = [bin, dirname(process.execPath), process.env.PATH].join(":");
  home = mkdtempSync(join(tmpdir(), "mastoc-completion-"));
});
afterAll(async () => portal?.stop());

const env = () => ({ ...process.env, PATH: path, MASTOC_HOME: home, MASTOC_SERVER: "", NO_COLOR: "1" });

/** What the bash completion function offers for a command line ending at the cursor. */
async function bash(line: string, withBashCompletion = true): Promise<string[]> {
  const words = line.split(" ");
  const script = [
    withBashCompletion ? "source /usr/share/bash-completion/bash_completion" : "",
    "source <(mastoc completion bash)",
    `COMP_LINE=${JSON.stringify(line)}; COMP_POINT=\${#COMP_LINE}`,
    `COMP_WORDS=(${words.map((word) => JSON.stringify(word)).join(" ")}); COMP_CWORD=${words.length - 1}`,
    '_mastoc; printf "%s\\n" "${COMPREPLY[@]}"',
  ].join("\n");
  const { stdout } = await run("bash", ["--norc", "--noprofile", "-c", script], { env: env() });
  return stdout.split("\n").filter(Boolean);
}

/** What fish offers (`complete -C`), values only. */
async function fish(line: string): Promise<string[]> {
  const { stdout } = await run(
    "fish",
    ["--no-config", "-c", `mastoc completion fish | source; complete -C ${JSON.stringify(line)}`],
    {
      env: env(),
    },
  );
  return stdout
    .split("\n")
    .filter(Boolean)
    .map((entry) => entry.split("\t")[0]!);
}

/** The subcommands `--help` lists under "Commands:". */
async function helpCommands(args: string[]): Promise<string[]> {
  const help = (await mastoc([...args, "--help"], { home })).stdout;
  const section = help.split("Commands:\n")[1]!.split("\n\n")[0]!;
  return section
    .split("\n")
    .filter((line) => /^ {2}\S/.test(line))
    .map((line) => line.trim().split(/[\s|]/)[0]!);
}

describe("bash", () => {
  it("completes commands and subcommands, the same ones --help lists (generated from the tree)", async () => {
    expect(await bash("mastoc cli")).toEqual(["climbs"]);
    expect(await bash("mastoc cli", false)).toEqual(["climbs"]);
    expect((await bash("mastoc ")).sort()).toEqual((await helpCommands([])).sort());
    for (const group of ["climbs", "users", "2fa", "servers", "sessions", "apikeys"]) {
      expect((await bash(`mastoc ${group} `)).sort()).toEqual((await helpCommands([group])).sort());
    }
  });

  it("completes options and option values: roles, sort fields, grades, shells", async () => {
    expect(await bash("mastoc users list --ro")).toEqual(["--role"]);
    expect(await bash("mastoc users list --role ")).toEqual(["USER", "MODERATOR", "ADMIN"]);
    expect(await bash("mastoc users list --role M")).toEqual(["MODERATOR"]);
    expect(await bash("mastoc users role someone ")).toEqual(["USER", "MODERATOR", "ADMIN"]);
    expect(await bash("mastoc users list --sort last")).toEqual(["lastLoginAt"]);
    expect(await bash("mastoc climbs create --name x --grade 7C")).toEqual(["7C", "7C+"]);
    expect(await bash("mastoc climbs list --grade V1")).toEqual([
      "V1",
      "V10",
      "V11",
      "V12",
      "V13",
      "V14",
      "V15",
      "V16",
      "V17",
    ]);
    expect(await bash("mastoc completion ")).toEqual(["bash", "zsh", "fish"]);
    expect(await bash("mastoc --utc climbs list --page 2 --gr")).toEqual(["--grade"]);
  });

  it("completes the IDs of one's own climbs, sessions and keys when signed in, and the saved servers", async () => {
    const name = `comp${Date.now().toString(36)}`;
    const email = `${name}@example.com`;
    await trpcClient(portal.url).auth.register.mutate({ email, username: name, password: PASSWORD });
    expect(
      (await mastoc(["login", "-e", email, "--password-stdin"], { home, server: portal.url, stdin: PASSWORD })).code,
    ).toBe(0);
    const climb = JSON.parse(
      (await mastoc(["climbs", "create", "--name", "Tab", "--grade", "6A", "--json"], { home })).stdout,
    );
    const key = JSON.parse((await mastoc(["apikeys", "create", "--name", "tab", "--json"], { home })).stdout);
    const [session] = JSON.parse((await mastoc(["sessions", "list", "--json"], { home })).stdout);

    expect(await bash("mastoc climbs delete ")).toEqual([climb.id]);
    expect(await bash(`mastoc climbs show ${climb.id.slice(0, 8)}`)).toEqual([climb.id]);
    expect(await bash("mastoc apikeys revoke ")).toEqual([key.id]);
    expect(await bash("mastoc sessions revoke ")).toEqual([session.id]);
    expect(await bash("mastoc servers default ")).toEqual([portal.url]);
    // A URL holds colons, which bash splits words at: the whole URL still completes.
    expect(await bash(`mastoc whoami --server ${portal.url.slice(0, 10)}`)).toEqual([portal.url.slice(5)]);
    // Not signed in to the server asked about: no IDs, no wait.
    expect(await bash("mastoc --server http://127.0.0.1:9 climbs delete ")).toEqual([]);
  });
});

describe("fish", () => {
  it("completes a command and an option value", async () => {
    expect(await fish("mastoc cli")).toEqual(["climbs"]);
    expect((await fish("mastoc users list --role ")).sort()).toEqual(["ADMIN", "MODERATOR", "USER"]);
  });
});

describe("zsh", () => {
  it("completes a command and an option value when Tab is pressed", async () => {
    const shell = spawnTerminal("zsh", ["-f", "-i"], {
      name: "xterm-256color",
      cols: 120,
      rows: 30,
      env: { ...env(), PS1: "zsh> ", HOME: home },
    });
    let screen = "";
    shell.onData((data) => (screen += data));
    const until = async (check: () => boolean, what: string) => {
      const deadline = Date.now() + 20_000;
      while (!check()) {
        if (Date.now() > deadline) throw new Error(`${what} not shown within 20 s:\n${screen}`);
        await new Promise((resolveWait) => setTimeout(resolveWait, 20));
      }
    };
    const plain = () => stripVTControlCharacters(screen);
    try {
      shell.write(
        "autoload -Uz compinit && compinit -u -D && source <(mastoc completion zsh) && echo loaded-$((40+2))\r",
      );
      await until(() => plain().includes("loaded-42"), "the completion script loaded");
      shell.write("mastoc clim\t");
      await until(() => plain().includes("mastoc climbs "), "mastoc climbs");
      shell.write("\u0015mastoc users list --role \t");
      await until(() => /MODERATOR/.test(plain()) && /ADMIN/.test(plain()), "the roles");
    } finally {
      shell.kill();
    }
  });
});
