import { randomBytes } from "node:crypto";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Piscina } from "piscina";
import { zxcvbn, zxcvbnOptions } from "@zxcvbn-ts/core";
import * as zxcvbnCommon from "@zxcvbn-ts/language-common";
import * as zxcvbnEn from "@zxcvbn-ts/language-en";
import * as zxcvbnFr from "@zxcvbn-ts/language-fr";
import { fieldError } from "../errors";
import { translator, type Locale, type MessageKey } from "../i18n";
import { domainWords } from "./password-words";
import { apiObserver } from "../observability";

// One pool per process, kept on globalThis: the server bundle and Next's chunks each carry a copy of
// this module, and both must hash on the same threads.
const shared = globalThis as unknown as {
  mastocPasswordWorkers?: Piscina;
  mastocDummyHash?: { cost: number; hash: Promise<string> };
};

function workers(): Piscina {
  shared.mastocPasswordWorkers ??= new Piscina({
    filename: fileURLToPath(new URL("./password-worker.mjs", import.meta.url)),
    maxThreads: availableParallelism(),
    minThreads: 1,
    idleTimeout: 60_000,
  });
  return shared.mastocPasswordWorkers;
}

/** Runs a task of password-worker.mjs and reports how long it waited for a thread. */
async function runTask<T>(name: "hash" | "verify", task: object): Promise<T> {
  const queuedAt = performance.timeOrigin + performance.now();
  const { value, startedAt } = (await workers().run(task, { name })) as { value: T; startedAt: number };
  apiObserver()?.passwordTask?.(Math.max(0, startedAt - queuedAt) / 1000);
  return value;
}

/** A bcrypt hash at `cost` (the configuration's BCRYPT_COST). */
export async function hashPassword(password: string, cost: number): Promise<string> {
  return runTask<string>("hash", { password, cost });
}

export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  return runTask<boolean>("verify", { password, hash });
}

/** Password tasks waiting for a thread of the pool (0 before the pool starts). */
export function passwordQueueDepth(): number {
  return shared.mastocPasswordWorkers?.queueSize ?? 0;
}

/** Whether the pool has at least one live thread. */
export function passwordWorkersUp(): boolean {
  return (shared.mastocPasswordWorkers?.threads.length ?? 0) > 0;
}

/**
 * Compares against a hash of a random password at the configured cost, so that signing in with an
 * unknown email costs the same time as a wrong password (no account enumeration by timing).
 */
export async function burnPasswordCheck(password: string, cost: number): Promise<false> {
  await verifyPassword(password, await dummyPasswordHash(cost));
  return false;
}

function dummyPasswordHash(cost: number): Promise<string> {
  if (shared.mastocDummyHash?.cost !== cost) {
    shared.mastocDummyHash = { cost, hash: hashPassword(randomBytes(18).toString("base64url"), cost) };
  }
  return shared.mastocDummyHash.hash;
}

/** Starts the worker pool and prepares the dummy hash, so the first sign-in is as fast as the next. */
export async function warmUpPasswordWorkers(cost: number): Promise<void> {
  await dummyPasswordHash(cost);
}

export async function closePasswordWorkers(): Promise<void> {
  const current = shared.mastocPasswordWorkers;
  shared.mastocPasswordWorkers = undefined;
  shared.mastocDummyHash = undefined;
  await current?.destroy();
}

let zxcvbnReady = false;
function estimator() {
  if (!zxcvbnReady) {
    zxcvbnOptions.setOptions({
      // Feedback as keys, written in each reader's language by `describeStrength`.
      translations: keysOf(zxcvbnEn.translations),
      // qwerty, azerty, qwertz, dvorak and the keypads.
      graphs: zxcvbnCommon.adjacencyGraphs,
      dictionary: {
        ...zxcvbnCommon.dictionary,
        ...zxcvbnEn.dictionary,
        // English's and French's lists keep their names apart; the feedback reads names from them.
        lastnames: [...zxcvbnEn.dictionary.lastnames, ...zxcvbnFr.dictionary.lastnames],
        "firstnames-fr": zxcvbnFr.dictionary.firstnames,
        "commonWords-fr": zxcvbnFr.dictionary.commonWords,
        "wikipedia-fr": zxcvbnFr.dictionary.wikipedia,
        [DOMAIN_DICTIONARY]: domainWords,
      },
    });
    zxcvbnReady = true;
  }
  return zxcvbn;
}

const DOMAIN_DICTIONARY = "mastoc";

type ZxcvbnTranslations = typeof zxcvbnEn.translations;
const zxcvbnTranslations: Record<Locale, ZxcvbnTranslations> = {
  en: zxcvbnEn.translations,
  fr: zxcvbnFr.translations,
};

/** A translations object whose every message is its own key. */
function keysOf(translations: ZxcvbnTranslations): ZxcvbnTranslations {
  return Object.fromEntries(
    Object.entries(translations).map(([section, messages]) => [
      section,
      Object.fromEntries(Object.keys(messages).map((key) => [key, key])),
    ]),
  ) as ZxcvbnTranslations;
}

/** zxcvbn's French feedback in French typography: « guillemets » and non-breaking spaces. */
const frenchTypography = (text: string) =>
  text
    .replace(/'([^']+)'/g, "«\u00a0$1\u00a0»")
    .replace(/ ([:;?!])/g, "\u00a0$1")
    .replace(/'/g, "’");

/** Score (0–4) a password must reach: 3 resists an offline attack on a slow hash. */
export const MIN_PASSWORD_SCORE = 3;

export type PasswordStrength = {
  score: 0 | 1 | 2 | 3 | 4;
  acceptable: boolean;
  warning: string | null;
  suggestions: string[];
};

/** A strength estimate whose feedback is still keys: zxcvbn's (`zxcvbn.*`) or ours (`password.*`). */
type Estimate = { score: PasswordStrength["score"]; warning: string | null; suggestions: string[] };

function personalInputs(personal: { email?: string | null; username?: string | null }): string[] {
  const inputs: string[] = [];
  const email = personal.email?.trim().toLowerCase();
  if (email) inputs.push(email, email.split("@")[0] ?? "");
  const username = personal.username?.trim().toLowerCase();
  if (username) inputs.push(username);
  return inputs.filter((value) => value.length >= 3);
}

function estimate(password: string, personal: { email?: string | null; username?: string | null }): Estimate {
  const inputs = personalInputs(personal);
  const lower = password.toLowerCase();
  if (inputs.some((input) => lower.includes(input))) {
    return { score: 0, warning: "password.personal.warning", suggestions: ["password.personal.suggestion"] };
  }
  const result = estimator()(password, inputs);
  const domain = result.sequence.some(
    (match) => match.pattern === "dictionary" && match.dictionaryName === DOMAIN_DICTIONARY,
  );
  if (domain && result.score < MIN_PASSWORD_SCORE) {
    return { score: result.score, warning: "password.domain.warning", suggestions: ["password.domain.suggestion"] };
  }
  return {
    score: result.score,
    warning: result.feedback.warning ? `zxcvbn.${result.feedback.warning}` : null,
    suggestions: result.feedback.suggestions.map((key) => `zxcvbn.${key}`),
  };
}

/** A feedback key in `locale`. */
function feedbackText(key: string, section: "warnings" | "suggestions", locale: Locale): string {
  if (key.startsWith("password.")) {
    return translator(locale, "password")(key.slice("password.".length) as MessageKey<"password">);
  }
  const name = key.slice("zxcvbn.".length);
  const messages = zxcvbnTranslations[locale][section] as Record<string, string>;
  const text = messages[name] ?? (zxcvbnTranslations.en[section] as Record<string, string>)[name] ?? name;
  return locale === "fr" ? frenchTypography(text) : text;
}

function describeStrength(found: Estimate, locale: Locale): PasswordStrength {
  return {
    score: found.score,
    acceptable: found.score >= MIN_PASSWORD_SCORE,
    warning: found.warning && feedbackText(found.warning, "warnings", locale),
    suggestions: found.suggestions.map((key) => feedbackText(key, "suggestions", locale)),
  };
}

/**
 * Offline strength estimate with zxcvbn-ts: common passwords, English and French dictionaries,
 * keyboard patterns (qwerty, azerty…) and the product's own words; the hints in `locale`.
 */
export function passwordStrength(
  password: string,
  personal: { email?: string | null; username?: string | null } = {},
  locale: Locale = "en",
): PasswordStrength {
  return describeStrength(estimate(password, personal), locale);
}

/**
 * The policy beyond length (which the shared zod schema checks): not the email or username, and
 * strong enough. Throws a BAD_REQUEST naming `field` with a hint, in the caller's language.
 */
export function assertPasswordPolicy(
  password: string,
  personal: { email?: string | null; username?: string | null },
  field = "password",
): void {
  const found = estimate(password, personal);
  if (found.score >= MIN_PASSWORD_SCORE) return;
  throw fieldError(field, (locale) => {
    const { warning, suggestions } = describeStrength(found, locale);
    const t = translator(locale, "password");
    const hint = [warning, suggestions[0]].filter(Boolean).join(" ");
    return `${t("tooWeak")} ${hint || t("addMore")}`;
  });
}
