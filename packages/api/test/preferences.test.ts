// A user's language and time zone: chosen in the profile (or by the switcher), validated, and the
// language of a new account taken from the request that made it.
import type { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { errorDetails } from "../src/errors";
import { callerFor, contextFor, createUser, PASSWORD, rejection, signIn, unique, useTestDatabase } from "./support";

const t = useTestDatabase();

describe("language and time zone", () => {
  it("are saved on the account and answered by auth.me", async () => {
    const user = await createUser(t.db);
    const { caller, tokens } = await signIn(t.db, user.email);
    expect(await caller.users.updateMe({ locale: "fr", timeZone: "America/Montreal" })).toMatchObject({
      locale: "fr",
      timeZone: "America/Montreal",
    });
    // The next request (a new context) sees them.
    const next = await callerFor(t.db, { token: tokens.access_token });
    expect(await next.auth.me()).toMatchObject({ locale: "fr", timeZone: "America/Montreal" });
  });

  it.each([
    ["an unsupported language", { locale: "de" }, "locale"],
    ["an empty language", { locale: "" }, "locale"],
    ["an unknown zone", { timeZone: "Mars/Olympus_Mons" }, "timeZone"],
    ["a zone with a NUL", { timeZone: "Europe/Paris\u0000" }, "timeZone"],
    ["a lone surrogate", { timeZone: "Europe/\ud800" }, "timeZone"],
    ["a huge zone", { timeZone: "x".repeat(10_000) }, "timeZone"],
  ])("refuse %s naming the field, and change nothing", async (_label, input, field) => {
    const user = await createUser(t.db);
    const { caller } = await signIn(t.db, user.email);
    const before = await t.db.user.findUniqueOrThrow({ where: { id: user.id } });
    const error = await rejection(caller.users.updateMe(input as never), "BAD_REQUEST");
    expect(Object.keys(errorDetails(error as TRPCError, { locale: "en" }).fieldErrors ?? {})).toEqual([field]);
    expect(await t.db.user.findUniqueOrThrow({ where: { id: user.id } })).toEqual(before);
  });

  it("of a request: the saved language wins over the cookie and Accept-Language", async () => {
    const user = await createUser(t.db);
    const { tokens } = await signIn(t.db, user.email);
    const headers = { cookie: "locale=en", "accept-language": "en-GB" };
    expect((await contextFor(t.db, { token: tokens.access_token, headers })).locale).toBe("en");
    await t.db.user.update({ where: { id: user.id }, data: { locale: "fr" } });
    expect((await contextFor(t.db, { token: tokens.access_token, headers })).locale).toBe("fr");
    expect((await contextFor(t.db, { headers: { "accept-language": "fr-CA" } })).locale).toBe("fr");
    expect((await contextFor(t.db, { headers: { cookie: "locale=fr", "accept-language": "en" } })).locale).toBe("fr");
    expect((await contextFor(t.db, { config: { DEFAULT_LOCALE: "fr" } })).locale).toBe("fr");
  });

  it("of a new account is the language of the request that registered it", async () => {
    const caller = await callerFor(t.db, { headers: { "accept-language": "fr-FR,fr;q=0.9,en;q=0.5" } });
    const name = unique();
    await caller.auth.register({ email: `${name}@example.com`, username: name, password: PASSWORD });
    const user = await t.db.user.findUniqueOrThrow({ where: { username: name } });
    expect(user.locale).toBe("fr");
  });
});
