// REST problems and the gateway's refusals in the caller's language, against the production
// server: the same bad input asked in French and in English gets the same status, code and fields,
// with title, detail and field messages in each language; the locale cookie counts too.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPortal, type Portal } from "./support";

let portal: Portal;
beforeAll(async () => {
  portal = await startPortal({ provider: "sqlite" });
});
afterAll(async () => portal?.stop());

type ProblemBody = {
  title: string;
  status: number;
  detail: string;
  code?: string;
  errors?: { field: string; message: string }[];
};

async function register(headers: Record<string, string>) {
  const response = await fetch(`${portal.url}/api/v1/auth/register`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ email: "not-an-address", username: "a", password: "short" }),
  });
  expect(response.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  return { status: response.status, body: (await response.json()) as ProblemBody };
}

describe("REST problems in the caller's language", () => {
  it("answers the same fields in French and English, each in its language", async () => {
    const english = await register({ "accept-language": "en-US,en;q=0.8" });
    const french = await register({ "accept-language": "fr-CA,fr;q=0.9" });
    expect([english.status, french.status]).toEqual([422, 422]);
    expect(french.body.code).toBe(english.body.code);
    expect(french.body.errors!.map((error) => error.field)).toEqual(english.body.errors!.map((error) => error.field));
    expect(english.body.title).toBe("Unprocessable Entity");
    expect(french.body.title).toBe("Contenu impossible à traiter");
    expect(english.body.errors).toContainEqual({ field: "email", message: "Enter a valid email address" });
    expect(french.body.errors).toContainEqual({ field: "email", message: "Saisissez une adresse e-mail valide" });
    expect(french.body.detail).toContain("username\u00a0: Le nom d’utilisateur doit comporter au moins 3 caractères");
  });

  it("follows the language switcher's cookie before Accept-Language", async () => {
    const answer = await register({ cookie: "locale=fr", "accept-language": "en" });
    expect(answer.body.title).toBe("Contenu impossible à traiter");
  });

  it("words the gateway's and the facade's own refusals in French too", async () => {
    const unknown = await fetch(`${portal.url}/api/v1/nowhere`, { headers: { "accept-language": "fr" } });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ title: "Introuvable", detail: "Aucune route /api/v1/nowhere" });
    const me = await fetch(`${portal.url}/api/v1/auth/me`, {
      headers: { "accept-language": "fr", authorization: "Bearer not-a-token" },
    });
    expect(me.status).toBe(401);
    expect(await me.json()).toMatchObject({ title: "Non authentifié", detail: "Jeton d’accès invalide ou expiré" });
    const malformed = await fetch(`${portal.url}/api/v1/auth/login`, {
      method: "POST",
      headers: { "accept-language": "fr", "content-type": "application/json" },
      body: "{",
    });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ detail: "Le corps n’est pas du JSON valide" });
  });
});
