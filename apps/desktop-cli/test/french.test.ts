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

/** A new account signed in through `mastoc login` in its own MASTOC_HOME. */
async function signedIn() {
  const name = `fr${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const email = `${name}@example.com`;
  await trpcClient(portal.url).auth.register.mutate({ email, username: name, password: PASSWORD });
  const own = home();
  const login = await mastoc(["login", "--email", email, "--password-stdin"], {
    home: own,
    server: portal.url,
    stdin: PASSWORD,
  });
  expect(login.code).toBe(0);
  return own;
}

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
    const refused = login.output().lastIndexOf("Adresse e-mail ou mot de passe incorrect");
    const deadline = Date.now() + 20_000;
    while (!login.output().slice(refused).includes("Mot de passe\u00a0:")) {
      if (Date.now() > deadline) throw new Error("the password was not asked again");
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
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
    const choice = await mastoc(["users", "list", "--role", "KING"], { home: home(), env: french });
    expect(choice.code).toBe(2);
    expect(choice.stderr).toContain(
      "erreur\u00a0: la valeur 'KING' de l’option '--role <role>' est invalide. Choix possibles\u00a0: USER, MODERATOR, ADMIN.",
    );
    // Help wraps at 80 columns without a pipe's terminal, never at a no-break space.
    const main = await mastoc(["--help"], { home: home(), env: french });
    expect(main.stdout).toContain("(administrateurs\u00a0;\n                      modérateurs\u00a0: côté voies)");
    const help = await mastoc(["users", "list", "--help"], { home: home(), env: french });
    expect(help.stdout).toContain('ordre de tri (choix\u00a0: "asc", "desc", par défaut\u00a0: "desc")');
  });

  it("lists climbs under French headers, with dates written the French way in the local time zone", async () => {
    const own = await signedIn();
    await mastoc(["climbs", "create", "--name", "Karma", "--grade", "8A"], { home: own });
    const list = mastocInTerminal(["climbs", "list"], { home: own, env: { ...french, TZ: "Europe/Paris" } });
    await list.waitFor("voie");
    expect(await list.exit).toBe(0);
    const screen = stripVTControlCharacters(list.output());
    expect(screen).toMatch(/ID\s+Nom\s+Cotation\s+Créée par\s+Modifiée en dernier par\s+Modifiée le/);
    // "5 déc. 2026, 13:27 CET": Intl's French date, Paris's time, its zone's name.
    expect(screen).toMatch(/Karma\s+8A\s+\S+\s+\S+\s+\d{1,2} [a-zéû]+\.? \d{4},? \d{2}:\d{2} CES?T/u);
    expect(screen).toMatch(/page 1 sur 1, \d+ voies?/);
    const json = await mastoc(["climbs", "list", "--json"], { home: own, env: french });
    expect(JSON.parse(json.stdout).items[0].updatedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  it("asks in French before deleting a climb; non keeps it, oui deletes it", async () => {
    const own = await signedIn();
    const created = await mastoc(["climbs", "create", "--name", "La Marie-Rose", "--grade", "6A", "--json"], {
      home: own,
    });
    const climb = JSON.parse(created.stdout) as { id: string };
    const refused = await mastoc(["climbs", "delete", climb.id], { home: own, env: french });
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim()).toBe(
      `mastoc: Refus de supprimer la voie «\u00a0La Marie-Rose\u00a0» (6A, ${climb.id}) sans confirmation\u00a0: passez --yes.`,
    );

    const no = mastocInTerminal(["climbs", "delete", climb.id], { home: own, env: french });
    await no.waitFor(`Supprimer la voie «\u00a0La Marie-Rose\u00a0» (6A, ${climb.id})\u00a0? [o/N]`);
    no.write("non\r");
    await no.waitFor("Rien n’a été supprimé.");
    expect(await no.exit).toBe(1);

    const yes = mastocInTerminal(["climbs", "delete", climb.id], { home: own, env: french });
    await yes.waitFor("[o/N]");
    yes.write("oui\r");
    await yes.waitFor(`Voie «\u00a0La Marie-Rose\u00a0» (${climb.id}) supprimée.`);
    expect(await yes.exit).toBe(0);
  });
});
