// `mastoc` in a real pseudo-terminal against a live portal: the prompts as a person types into
// them, and colour on a terminal only.
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stripVTControlCharacters } from "node:util";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { enableTwoFactor, startPortal, totp, trpcClient, type Portal } from "@mastoc/web/test-support";
import { mastoc, mastocInTerminal } from "./mastoc";

// Each test runs the real CLI many times, on a machine that other work may be loading.
vi.setConfig({ testTimeout: 180_000 });

/** What a terminal showed, without its escape sequences. */
const plain = (screen: string) => stripVTControlCharacters(screen);

const PASSWORD = "Granite-Overhang-Crimp-42";
const ESCAPE = "\u001b[";
/** Neither forced nor disabled: colour is up to the output being a terminal. */
// Nothing in the environment decides colour, as on a person's terminal: Node also turns colour down
// for an unknown CI service (`CI` set), so that is cleared too.
const colourUndecided = { NO_COLOR: undefined, FORCE_COLOR: undefined, NODE_DISABLE_COLORS: undefined, CI: undefined };
let portal: Portal;
let counter = 0;

beforeAll(async () => {
  portal = await startPortal({ provider: "sqlite" });
});
afterAll(async () => portal?.stop());

async function account() {
  const name = `tty${Date.now().toString(36)}${counter++}`;
  const email = `${name}@example.com`;
  await trpcClient(portal.url).auth.register.mutate({ email, username: name, password: PASSWORD });
  return { email, username: name, home: mkdtempSync(join(tmpdir(), "mastoc-tty-")) };
}

/** An account signed in through `mastoc login` in its own MASTOC_HOME. */
async function signedIn() {
  const me = await account();
  const login = await mastoc(["login", "--email", me.email, "--password-stdin"], {
    home: me.home,
    server: portal.url,
    stdin: PASSWORD,
  });
  expect(login.code).toBe(0);
  return me;
}

/** Polls `check` until it holds, for at most 20 s. */
async function until(check: () => boolean, what: string) {
  const deadline = Date.now() + 20_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what} not seen within 20 s`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A code that is not the account's code now (nor the step before or after). */
async function wrongCode(secret: string) {
  const near = [await totp(secret, -1), await totp(secret), await totp(secret, 1)];
  return ["000000", "111111", "222222", "333333"].find((code) => !near.includes(code))!;
}

describe("prompts", () => {
  it("login asks for the email, then the password without echoing it; backspace and pasted text work", async () => {
    const { email, home } = await account();
    const login = mastocInTerminal(["login"], { home, server: portal.url });
    await login.waitFor("Email or username:");
    login.write(`${email}\r`);
    await login.waitFor("Password:");
    const shownBefore = login.output().length;
    login.write("x");
    login.write("\u007f");
    login.write(PASSWORD);
    login.write("\r");
    await login.waitFor(`Signed in as ${email} (USER)`);
    expect(await login.exit).toBe(0);
    const output = login.output();
    expect(output).toContain(email);
    expect(output.slice(shownBefore)).not.toContain(PASSWORD.slice(0, 4));
    expect(output).toMatch(/\r?\nSigned in as/);
    expect((await mastoc(["whoami", "--json"], { home })).code).toBe(0);
  });

  it("login asks for the two-factor code after the password, for an account that has it", async () => {
    const { email, home } = await account();
    const { secret } = await enableTwoFactor(portal.url, email, PASSWORD);
    const login = mastocInTerminal(["login", "--email", email], { home, server: portal.url });
    await login.waitFor("Password:");
    login.write(`${PASSWORD}\r`);
    await login.waitFor("Two-factor code (or a recovery code):");
    login.write(`${await totp(secret, 1)}\r`);
    await login.waitFor(`Signed in as ${email} (USER)`);
    expect(await login.exit).toBe(0);
  });

  it("Ctrl-C at the password prompt cancels with exit 130 and saves nothing", async () => {
    const { email, home } = await account();
    const login = mastocInTerminal(["login", "--email", email], { home, server: portal.url });
    await login.waitFor("Password:");
    login.write("Granite");
    login.write("\u0003");
    await login.waitFor("mastoc: Cancelled.");
    expect(await login.exit).toBe(130);
    expect(login.output()).toMatch(/\r?\nmastoc: Cancelled\./);
    expect(login.output()).not.toContain("Granite");
    expect(existsSync(join(home, "auth.json"))).toBe(false);
  });

  it("without a terminal there is no prompt: the password comes from --password-stdin", async () => {
    const { email, home } = await account();
    const refused = await mastoc(["login", "--email", email], { home, server: portal.url, stdin: `${PASSWORD}\n` });
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim()).toBe(
      'mastoc: Cannot prompt for "Password" without a terminal; pass it as an option.',
    );
    const piped = await mastoc(["login", "--email", email, "--password-stdin"], {
      home,
      server: portal.url,
      stdin: `${PASSWORD}\n`,
    });
    expect(piped.code).toBe(0);
  });
});

describe("prompts for what is missing, and asks again what is wrong", () => {
  it("register asks the email, the username and the password twice, again when the two differ", async () => {
    const name = `reg${Date.now().toString(36)}${counter++}`;
    const home = mkdtempSync(join(tmpdir(), "mastoc-tty-"));
    const register = mastocInTerminal(["register"], { home, server: portal.url });
    await register.waitFor("Email:");
    register.write(`${name}@example.com\r`);
    await register.waitFor("Username:");
    register.write(`${name}\r`);
    await register.waitFor("Choose a password:");
    register.write(`${PASSWORD}\r`);
    await register.waitFor("Confirm the password:");
    register.write("Not-The-Same-Password-1\r");
    await register.waitFor("The passwords do not match; try again.");
    // Typed before the prompt is up, the terminal would still echo it: wait for the prompt.
    const choices = () => plain(register.output()).split("Choose a password:").length - 1;
    await until(() => choices() === 2, "the second password prompt");
    register.write(`${PASSWORD}\r`);
    const confirmations = () => plain(register.output()).split("Confirm the password:").length - 1;
    await until(() => confirmations() === 2, "the second confirmation prompt");
    const before = register.output().length;
    register.write(`${PASSWORD}\r`);
    await register.waitFor(`Created ${name}@example.com`);
    expect(await register.exit).toBe(0);
    expect(register.output()).not.toContain(PASSWORD.slice(0, 6));
    expect(register.output().slice(before)).not.toContain("Confirm the password:");
    const login = await mastoc(["login", "-e", name, "--password-stdin"], {
      home,
      server: portal.url,
      stdin: PASSWORD,
    });
    expect(login.code).toBe(0);
  });

  it("register without a terminal names the missing option, exit 2, as before", async () => {
    const home = mkdtempSync(join(tmpdir(), "mastoc-tty-"));
    const run = await mastoc(["register", "--username", "nobody"], { home, server: portal.url, stdin: PASSWORD });
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe("mastoc: error: required option '-e, --email <email>' not specified");
  });

  it("login asks again after a wrong password, and gives up after the third", async () => {
    const { email, home } = await account();
    const login = mastocInTerminal(["login", "--email", email], { home, server: portal.url });
    await login.waitFor("Password:");
    login.write("Wrong-Password-0001\r");
    await login.waitFor("Invalid email or password");
    login.write(`${PASSWORD}\r`);
    await login.waitFor(`Signed in as ${email} (USER)`);
    expect(await login.exit).toBe(0);
    expect(plain(login.output()).match(/Password:/g)).toHaveLength(2);

    const other = await account();
    const stubborn = mastocInTerminal(["login", "--email", other.email], { home: other.home, server: portal.url });
    const prompts = () => plain(stubborn.output()).split("Password:").length - 1;
    for (let attempt = 1; attempt <= 3; attempt++) {
      await until(() => prompts() >= attempt, `password prompt number ${attempt}`);
      stubborn.write(`Wrong-Password-000${attempt}\r`);
    }
    await stubborn.waitFor("mastoc: Invalid email or password");
    expect(await stubborn.exit).toBe(1);
    expect(plain(stubborn.output()).match(/Password:/g)).toHaveLength(3);
    expect(existsSync(join(other.home, "auth.json"))).toBe(false);
  });

  it("login asks again after a wrong two-factor code", async () => {
    const { email, home } = await account();
    const { secret } = await enableTwoFactor(portal.url, email, PASSWORD);
    const login = mastocInTerminal(["login", "--email", email], { home, server: portal.url });
    await login.waitFor("Password:");
    login.write(`${PASSWORD}\r`);
    await login.waitFor("Two-factor code (or a recovery code):");
    login.write(`${await wrongCode(secret)}\r`);
    await login.waitFor("Invalid or expired sign-in code");
    login.write(`${await totp(secret, 1)}\r`);
    await login.waitFor(`Signed in as ${email} (USER)`);
    expect(await login.exit).toBe(0);
  });

  it("2fa setup goes on to the first code (asked again when wrong) and shows the recovery codes", async () => {
    const { home } = await signedIn();
    const setup = mastocInTerminal(["2fa", "setup"], { home });
    await setup.waitFor("Password:");
    setup.write("Wrong-Password-0001\r");
    await setup.waitFor("The password is not correct");
    setup.write(`${PASSWORD}\r`);
    await setup.waitFor("Code from the app:");
    const secret = /enter the key (\S+)/.exec(plain(setup.output()))![1]!;
    setup.write(`${await wrongCode(secret)}\r`);
    await setup.waitFor("The code is not correct");
    await setup.waitFor("Code from the app:");
    setup.write(`${await totp(secret)}\r`);
    await setup.waitFor("Keep them somewhere safe");
    expect(await setup.exit).toBe(0);
    const shown = plain(setup.output());
    expect(shown).toContain("Scan this QR code");
    expect(shown).toContain("Two-factor authentication is on.");
    expect(shown.match(/^ {2}[a-z2-9]{5}-[a-z2-9]{5}\r?$/gm)).toHaveLength(10);
    const status = await mastoc(["2fa", "status", "--json"], { home });
    expect(JSON.parse(status.stdout)).toMatchObject({ enabled: true, recoveryCodesLeft: 10 });
  });
});

describe("destructive commands confirm", () => {
  it("climbs delete names the climb and asks; no keeps it, yes deletes it; without a terminal, --yes is needed", async () => {
    const { home } = await signedIn();
    const created = await mastoc(["climbs", "create", "--name", "Rainbow Rocket", "--grade", "8A", "--json"], { home });
    const climb = JSON.parse(created.stdout) as { id: string };
    const short = climb.id.slice(0, 20);

    const refused = await mastoc(["climbs", "delete", short], { home });
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim()).toBe(
      `mastoc: Refusing to delete the climb "Rainbow Rocket" (8A, ${climb.id}) without confirmation: pass --yes.`,
    );

    const no = mastocInTerminal(["climbs", "delete", short], { home });
    await no.waitFor(`Delete the climb "Rainbow Rocket" (8A, ${climb.id})? [y/N]`);
    no.write("n\r");
    await no.waitFor("Nothing was deleted.");
    expect(await no.exit).toBe(1);
    expect((await mastoc(["climbs", "show", climb.id], { home })).code).toBe(0);

    const yes = mastocInTerminal(["climbs", "delete", short], { home });
    await yes.waitFor("[y/N]");
    yes.write("y\r");
    await yes.waitFor(`Climb "Rainbow Rocket" (${climb.id}) deleted.`);
    expect(await yes.exit).toBe(0);
    expect((await mastoc(["climbs", "show", climb.id], { home })).stderr).toContain("No such climb");
  });

  it("API keys and sessions: revoke asks, naming the key or the session", async () => {
    const { home } = await signedIn();
    const key = JSON.parse((await mastoc(["apikeys", "create", "--name", "backup", "--json"], { home })).stdout);
    expect((await mastoc(["apikeys", "revoke", key.id], { home })).code).toBe(2);
    const revoke = mastocInTerminal(["apikeys", "revoke", key.id], { home });
    await revoke.waitFor(`Revoke the API key "backup" (${key.key.slice(0, 6)}`);
    revoke.write("yes\r");
    await revoke.waitFor(`API key ${key.id} revoked.`);
    expect(await revoke.exit).toBe(0);

    const sessions = JSON.parse((await mastoc(["sessions", "list", "--json"], { home })).stdout) as { id: string }[];
    expect((await mastoc(["sessions", "revoke", sessions[0]!.id], { home })).code).toBe(2);
    const signOut = mastocInTerminal(["sessions", "revoke", sessions[0]!.id], { home });
    await signOut.waitFor(`Sign out token session ${sessions[0]!.id} (mastoc-cli/`);
    signOut.write("\r");
    await signOut.waitFor("Nothing was changed.");
    expect(await signOut.exit).toBe(1);
  });

  it("account delete asks to type the username, then the password; without a terminal it refuses", async () => {
    const { home, username, email } = await signedIn();
    const refused = await mastoc(["account", "delete", "--password-stdin"], { home, stdin: PASSWORD });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`Refusing to delete the account ${username} (${email})`);
    expect((await mastoc(["whoami"], { home })).code).toBe(0);

    const wrongName = mastocInTerminal(["account", "delete"], { home });
    await wrongName.waitFor(`Type "${username}" to confirm:`);
    wrongName.write("yes\r");
    await wrongName.waitFor("Nothing was deleted.");
    expect(await wrongName.exit).toBe(1);

    const confirmed = mastocInTerminal(["account", "delete"], { home });
    await confirmed.waitFor(`Delete the account ${username} (${email}) on ${portal.url}? This cannot be undone.`);
    confirmed.write(`${username}\r`);
    await confirmed.waitFor("Password:");
    confirmed.write(`${PASSWORD}\r`);
    await confirmed.waitFor(`Account ${username} deleted`);
    expect(await confirmed.exit).toBe(0);
    const gone = await trpcClient(portal.url)
      .auth.login.mutate({ email, password: PASSWORD })
      .catch((error: Error) => error.message);
    expect(gone).toBe("Invalid email or password");
  });
});

describe("colour", () => {
  it("is used on a terminal, and not with NO_COLOR or when the output is piped", async () => {
    const { email, home } = await account();
    expect(
      (await mastoc(["login", "--email", email, "--password-stdin"], { home, server: portal.url, stdin: PASSWORD }))
        .code,
    ).toBe(0);

    // The last line of `whoami`: everything before it has been shown too.
    const lastLabel = "Last sign-in";
    const coloured = mastocInTerminal(["whoami"], { home, env: colourUndecided });
    await coloured.waitFor(lastLabel);
    expect(await coloured.exit).toBe(0);
    expect(coloured.output()).toContain(`${ESCAPE}1mEmail`);

    const noColour = mastocInTerminal(["whoami"], { home, env: { ...colourUndecided, NO_COLOR: "1" } });
    await noColour.waitFor(lastLabel);
    expect(await noColour.exit).toBe(0);
    expect(noColour.output()).toContain(email);
    expect(noColour.output()).not.toContain(ESCAPE);

    const piped = await mastoc(["whoami"], { home, env: colourUndecided });
    expect(piped.code).toBe(0);
    expect(piped.stdout).toContain(email);
    expect(piped.stdout).not.toContain(ESCAPE);
  });
});
