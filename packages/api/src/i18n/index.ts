// Languages: the catalogs, the choice of a request's locale, and ICU translators over them for
// every surface outside React (emails, API messages, the CLI). The portal reads the same catalogs
// through next-intl.
import { createFormatter, createTranslator } from "use-intl/core";
import { catalogs, type Catalog, type Namespace } from "./catalog";
import type { Locale } from "./locales";

export * from "./locales";
export * from "./negotiate";
export { catalogs, type Catalog, type MessageKey, type Namespace } from "./catalog";

/** A translator for one namespace in one locale: `t("key", { count })` with ICU plurals and variables. */
export function translator<N extends Namespace>(locale: Locale, namespace: N) {
  return createTranslator<Catalog, N>({ locale, messages: catalogs[locale], namespace });
}

/** Dates, times, relative times and numbers in a reader's locale and time zone (UTC when unknown). */
export function formatter(locale: Locale, timeZone?: string | null) {
  return createFormatter({ locale, timeZone: timeZone ?? "UTC" });
}
