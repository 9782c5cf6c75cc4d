// Languages: the catalogs, the choice of a request's locale, and ICU translators over them for
// every surface outside React (emails, API messages, the CLI). The portal reads the same catalogs
// through next-intl.
import { createFormatter, createTranslator } from "use-intl/core";
import { catalogs, type Catalog, type Namespace } from "./catalog";
import type { Locale } from "./locales";
import type { ClientWords } from "../readable";

export * from "./locales";
export * from "./negotiate";
export { catalogs, type Catalog, type MessageKey, type Namespace } from "./catalog";

/** A translator for one namespace in one locale: `t("key", { count })` with ICU plurals and variables. */
export function translator<N extends Namespace>(locale: Locale, namespace: N) {
  return createTranslator<Catalog, N>({ locale, messages: catalogs[locale], namespace });
}

/** The words of a client's description (`describeClient`) in one locale. */
export function clientWords(locale: Locale): ClientWords {
  const t = translator(locale, "common");
  return { unknown: t("client.unknown"), on: (client, platform) => t("client.on", { client, platform }) };
}

/**
 * Audit actions in words in one locale: "auth.lockout" reads "Account locked after failed
 * sign-ins". Catalog keys cannot hold dots, so the catalog has `auth_lockout`; an action this
 * build has no words for reads as its code.
 */
export function auditActionWords(locale: Locale): (action: string) => string {
  const t = translator(locale, "admin");
  const known = catalogs[locale].admin.actions;
  return (action) => {
    const key = action.replaceAll(".", "_");
    // Checked at run time (own keys only: "toString" is no action): actions are data, not a fixed
    // union of the catalog's keys.
    return Object.hasOwn(known, key) ? t(`actions.${key}` as never) : action;
  };
}

/** Dates, times, relative times and numbers in a reader's locale and time zone (UTC when unknown). */
export function formatter(locale: Locale, timeZone?: string | null) {
  return createFormatter({ locale, timeZone: timeZone ?? "UTC" });
}
