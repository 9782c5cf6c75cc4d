// `mastoc` in French, in a real pseudo-terminal: LANG=fr_FR.UTF-8 gives French help (commander's
// own words too), prompts and errors, and the server's refusals arrive in French (Accept-Language);
// --lang overrides the environment, and C or POSIX is English.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stripVTControlCharacters } from "node:util";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startPortal, trpcClient, type Portal } from "@mastoc/web/test-support";
import { mastoc, mastocInTerminal } from "./mastoc";

vi.setConfig({ testTimeout: 180_000 });

const PASSWORD = "Granite-Overhang-Crimp-42";
const french = { LANG: "fr_FR.UTF-8" };
let portal: Portal;

beforeAll(async () => {
  portal = await startPortal({ provider: "sqlite" });
});
afterAll(async () => portal?.stop());

const home = () => mkdtempSync(join(tmpdir(), "mastoc-fr-"));

describe("mastoc in French", () => {
  it("shows its help in French, commander's words included", async () => {
    const help = mastocInTerminal(["--help"], { home: home(), env: french });
    await help.waitFor("Commandes");
    expect(await help.exit).toBe(0);
    const screen = stripVTControlCharacters(help.output());
    expect(screen).toContain("Utilisation\u00a0: mastoc [options] [command]");
    expect(screen).toContain("Le client en ligne de commande des comptes mastoc.");
    expect(screen).toContain("Options\u00a0:");
    expect(screen).toContain("afficher l’aide de la commande");
    expect(screen).not.toContain("display help for command");
  });

  it("asks in French, and shows the server's refusal in French", async () => {
    const name = `fr${Date.now().toString(36)}`;
    const email = `${name}@example.com`;
    await trpcClient(portal.url).auth.register.mutate({ email, username: name, password: PASSWORD });
    const login = mastocInTerminal(["login"], { home: home(), server: portal.url, env: french });
    await login.waitFor("Adresse e-mail ou nom d’utilisateur\u00a0:");
    login.write(`${email}\r`);
    await login.waitFor("Mot de passe\u00a0:");
    login.write("Not-The-Password-1\r");
    // A wrong password is asked again; the server's message is the French one.
    await login.waitFor("Adresse e-mail ou mot de passe incorrect");
    login.write("\u0003");
    await login.waitFor("mastoc: Annulé.");
    expect(await login.exit).toBe(130);
  });

  it("words commander's usage errors in French, and --lang overrides the environment", async () => {
    const unknown = await mastoc(["--nope"], { home: home(), env: french });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("erreur\u00a0: option inconnue '--nope'");
    expect(unknown.stderr).toContain("(lancez `mastoc --help` pour l’aide)");
    const english = await mastoc(["--lang", "en", "--nope"], { home: home(), env: french });
    expect(english.stderr).toContain("error: unknown option '--nope'");
    const posix = await mastoc(["--nope"], { home: home(), env: { LC_ALL: "C", LANG: "fr_FR.UTF-8" } });
    expect(posix.stderr).toContain("error: unknown option '--nope'");
    const messages = await mastoc(["--nope"], { home: home(), env: { LC_MESSAGES: "fr_CA.UTF-8" } });
    expect(messages.stderr).toContain("option inconnue");
  });
});
