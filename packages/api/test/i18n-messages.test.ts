// The API speaks the caller's language: the same bad input asked in French and in English gets the
// same codes and fields, with messages in each language, through tRPC's HTTP handler (its error
// formatter) and as REST problems; the forms' resolver gives the same messages in the browser.
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { getConfig } from "../src/config";
import { createContext } from "../src/context";
import { problemOf } from "../src/http/problem";
import type { Locale } from "../src/i18n";
import { localizedResolver, localizeIssue } from "../src/i18n/zod";
import { appRouter } from "../src/root";
import { registerInput, statsInput } from "../src/schemas";
import { callerFor, createUser, PASSWORD, useTestDatabase } from "./support";

const t = useTestDatabase();

/** Calls a mutation over tRPC's own HTTP handling, as a client in `language` would. */
async function mutate(path: string, input: unknown, language: string) {
  const response = await fetchRequestHandler({
    endpoint: "/api/trpc",
    router: appRouter,
    req: new Request(`http://localhost/api/trpc/${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", "accept-language": language },
      body: JSON.stringify({ json: input }),
    }),
    createContext: ({ req }) =>
      createContext({ db: t.db, headers: req.headers, meta: { ip: "203.0.113.20", userAgent: "vitest" } }),
  });
  // superjson wraps the error shape as it wraps any output.
  const body = (await response.json()) as {
    error: { json: { message: string; data: { code: string; fieldErrors: Record<string, string[]> | null } } };
  };
  return { status: response.status, ...body.error.json };
}

const badRegistration = { email: "not-an-address", username: "a!", password: "short", nmae: "typo" };

describe("validation messages in the caller's language", () => {
  it("answers the same codes and fields in French and English, each in its language (tRPC)", async () => {
    const english = await mutate("auth.register", badRegistration, "en-GB,en;q=0.9");
    const french = await mutate("auth.register", badRegistration, "fr-FR,fr;q=0.9,en;q=0.5");
    expect(french.status).toBe(english.status);
    expect(french.data.code).toBe("BAD_REQUEST");
    expect(english.data.code).toBe("BAD_REQUEST");
    expect(Object.keys(french.data.fieldErrors!).sort()).toEqual(Object.keys(english.data.fieldErrors!).sort());
    expect(english.data.fieldErrors).toMatchObject({
      email: ["Enter a valid email address"],
      username: ["Username must be at least 3 characters", expect.stringContaining("may only contain")],
      password: ["Password must be at least 8 characters"],
      nmae: ["Unknown field"],
    });
    expect(french.data.fieldErrors).toMatchObject({
      email: ["Saisissez une adresse e-mail valide"],
      username: [
        "Le nom d’utilisateur doit comporter au moins 3 caractères",
        expect.stringContaining("ne peut contenir"),
      ],
      password: ["Le mot de passe doit comporter au moins 8 caractères"],
      nmae: ["Champ inconnu"],
    });
    expect(french.message).toContain("email\u00a0: Saisissez une adresse e-mail valide");
    expect(english.message).toContain("email: Enter a valid email address");
  });

  it("writes zod's built-in messages in French too, from the input the caller sent", async () => {
    const input = { email: 42, password: "x".repeat(2000) };
    const english = await mutate("auth.login", input, "en");
    const french = await mutate("auth.login", input, "fr");
    expect(english.data.fieldErrors!.password).toEqual(["Too big: expected string to have <=1024 characters"]);
    expect(french.data.fieldErrors!.password).toEqual([
      "Trop grand\u00a0: chaîne de caractères doit avoir <=1024 caractères",
    ]);
    expect(english.data.fieldErrors!.email).toEqual(["Email or username is required"]);
    expect(french.data.fieldErrors!.email).toEqual(["L’adresse e-mail ou le nom d’utilisateur est obligatoire"]);
  });

  it("gives REST problems the same fields, in each language", async () => {
    const caller = await callerFor(t.db);
    const error = await caller.auth.register(badRegistration as never).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TRPCError);
    const problems = (["en", "fr"] as Locale[]).map((locale) =>
      problemOf(error as TRPCError, null, { locale, input: badRegistration }),
    );
    expect(problems.map((problem) => problem.status)).toEqual([422, 422]);
    expect(problems[1]!.errors!.map((entry) => entry.field)).toEqual(problems[0]!.errors!.map((entry) => entry.field));
    expect(problems[0]!.errors).toContainEqual({
      field: "password",
      message: "Password must be at least 8 characters",
    });
    expect(problems[1]!.errors).toContainEqual({
      field: "password",
      message: "Le mot de passe doit comporter au moins 8 caractères",
    });
  });
});

describe("the API's own messages in the caller's language", () => {
  it("keeps a failed sign-in as generic in French as in English (no account enumeration)", async () => {
    const user = await createUser(t.db);
    const answers = [];
    for (const language of ["fr", "en"]) {
      for (const input of [
        { email: user.email, password: `${PASSWORD}-wrong` },
        { email: `nobody-${user.email}`, password: PASSWORD },
      ]) {
        answers.push({ language, ...(await mutate("auth.login", input, language)) });
      }
    }
    for (const answer of answers) expect(answer.data.code).toBe("UNAUTHORIZED");
    const messages = new Set(answers.map((answer) => `${answer.language}:${answer.message}`));
    expect([...messages].sort()).toEqual([
      "en:Invalid email or password",
      "fr:Adresse e-mail ou mot de passe incorrect",
    ]);
  });

  it("says why a credential was refused, in the caller's language", async () => {
    for (const [language, expected] of [
      ["fr", "Clé d’API invalide, expirée ou révoquée"],
      ["en", "Invalid, expired or revoked API key"],
    ] as const) {
      const response = await fetchRequestHandler({
        endpoint: "/api/trpc",
        router: appRouter,
        req: new Request("http://localhost/api/trpc/auth.me", {
          headers: { "accept-language": language, "x-api-key": "mk_not-a-key" },
        }),
        createContext: ({ req }) =>
          createContext({ db: t.db, headers: req.headers, meta: { ip: null, userAgent: null } }),
      });
      const body = (await response.json()) as { error: { json: { message: string; data: { code: string } } } };
      expect(response.status).toBe(401);
      expect(body.error.json.message).toBe(expected);
    }
  });
});

describe("the forms' resolver", () => {
  const options = { fields: {}, shouldUseNativeValidation: false } as never;
  it("reports each field's first message in the form's language", async () => {
    const values = { email: "", username: "ab", password: "short" };
    const french = await localizedResolver(registerInput, "fr")(values as never, undefined, options);
    const english = await localizedResolver(registerInput, "en")(values as never, undefined, options);
    expect(french.errors).toMatchObject({
      email: { message: "L’adresse e-mail est obligatoire" },
      username: { message: "Le nom d’utilisateur doit comporter au moins 3 caractères" },
      password: { message: "Le mot de passe doit comporter au moins 8 caractères" },
    });
    expect(english.errors).toMatchObject({ email: { message: "Email is required" } });
  });

  it("fills plurals and figures, and keeps what is not a catalog key", () => {
    const issue = { code: "too_small", message: "Expiry must be at least 1 day", path: ["expiresInDays"] };
    expect(localizeIssue(issue, "en")).toBe("Expiry must be at least 1 day");
    expect(localizeIssue(issue, "fr")).toBe("L’expiration doit être d’au moins 1 jour");
    expect(localizeIssue({ message: "Something else", path: [] }, "fr")).toBe("Something else");
    const days = statsInput.safeParse({ days: 400 });
    expect(localizeIssue(days.error!.issues[0]!, "fr")).toBe("Doit être au plus 365");
    expect(getConfig().DEFAULT_LOCALE).toBe("en");
  });
});
