// `mastoc` in a real pseudo-terminal against a live portal: the prompts as a person types into them.
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPortal, trpcClient, type Portal } from "@mastoc/web/test-support";
import { mastoc, mastocInTerminal } from "./mastoc";

const PASSWORD = "Granite-Overhang-Crimp-42";
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
