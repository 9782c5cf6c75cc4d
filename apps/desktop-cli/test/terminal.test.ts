// `mastoc` in a real pseudo-terminal against a live portal: the prompts as a person types into
// them, and colour on a terminal only.
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enableTwoFactor, startPortal, totp, trpcClient, type Portal } from "@mastoc/web/test-support";
import { mastoc, mastocInTerminal } from "./mastoc";

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
  return { email, home: mkdtempSync(join(tmpdir(), "mastoc-tty-")) };
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
