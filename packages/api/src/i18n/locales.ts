// The languages this server speaks. Pure: safe in a browser bundle (the forms' schemas use it).

/** Supported locales; the first is the catalogs' reference. A new language adds its catalog (see catalog.ts). */
export const LOCALES = ["en", "fr"] as const;
export type Locale = (typeof LOCALES)[number];

/** The cookie the language switcher sets, read before the browser's Accept-Language. */
export const LOCALE_COOKIE = "locale";

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}

/** Whether `value` is an IANA time zone this runtime knows ("Europe/Paris", "America/Montreal", "UTC"). */
export function isTimeZone(value: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/.test(value)) return false;
  try {
    new Intl.DateTimeFormat("en", { timeZone: value });
    return true;
  } catch {
    return false;
  }
}
