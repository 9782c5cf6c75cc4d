// Password strength in both languages: French and English dictionaries, the azerty keyboard, and
// the product's own words (its name, climbing words, grades), with hints in the reader's language.
import { describe, expect, it } from "vitest";
import { errorDetails } from "../src/errors";
import { LOCALES } from "../src/i18n";
import { assertPasswordPolicy, passwordStrength } from "../src/services/passwords";
import { PASSWORD } from "./support";
import type { TRPCError } from "@trpc/server";

const refusal = (password: string, personal = {}) => {
  try {
    assertPasswordPolicy(password, personal);
  } catch (error) {
    return error as TRPCError;
  }
  throw new Error(`${password} was accepted`);
};

describe("password strength", () => {
  it.each(["grimpe123", "Grimpeur2024", "Mastoc2026!", "falaise7a+", "crimp-v10", "Dévers6b+", "bouldering2025"])(
    "refuses the product's own words: %s, in every language",
    (password) => {
      for (const locale of LOCALES) expect(passwordStrength(password, {}, locale).acceptable).toBe(false);
    },
  );

  it("refuses French words and azerty keyboard rows", () => {
    expect(passwordStrength("bonjour2024").acceptable).toBe(false);
    expect(passwordStrength("azertyuiop").acceptable).toBe(false);
    expect(passwordStrength("wxcvbn123").acceptable).toBe(false);
  });

  it("still accepts a strong passphrase", () => {
    expect(passwordStrength(PASSWORD).acceptable).toBe(true);
    expect(passwordStrength("Tangerine-Piano-Orbit-93").acceptable).toBe(true);
  });

  it("explains a refusal in the reader's language", () => {
    const english = passwordStrength("grimpe123", {}, "en");
    const french = passwordStrength("grimpe123", {}, "fr");
    expect(english.warning).toBe("Climbing words, grades and the name of this service are easy to guess.");
    expect(french.warning).toBe(
      "Les mots de l’escalade, les cotations et le nom de ce service sont faciles à deviner.",
    );
    expect(passwordStrength("azertyuiop", {}, "fr").warning).toMatch(/clavier/);
    expect(passwordStrength("azertyuiop", {}, "en").warning).toMatch(/keyboard/);
    expect(passwordStrength("ada-lovelace-1", { username: "ada-lovelace" }, "fr").warning).toBe(
      "Le mot de passe contient votre adresse e-mail ou votre nom d’utilisateur.",
    );
  });

  it("words the field error in the caller's language", () => {
    const error = refusal("Grimpeur2024");
    expect(errorDetails(error, { locale: "en" }).fieldErrors!.password![0]).toMatch(/^Password is too weak\. Climbing/);
    expect(errorDetails(error, { locale: "fr" }).fieldErrors!.password![0]).toMatch(
      /^Le mot de passe est trop faible\. Les mots de l’escalade/,
    );
    const keyboard = refusal("azertyuiop");
    expect(errorDetails(keyboard, { locale: "fr" }).message).toMatch(/^Le mot de passe est trop faible\./);
    expect(errorDetails(keyboard, { locale: "fr" }).message).not.toMatch(/'/);
  });
});
