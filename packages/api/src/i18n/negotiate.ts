// How the language of a request is chosen.
import Negotiator from "negotiator";
import { isLocale, type Locale } from "./locales";

/** The best supported locale an Accept-Language header asks for ("fr-CA,fr;q=0.9" → fr), or null. */
export function negotiateLocale(acceptLanguage: string | null | undefined): Locale | null {
  if (!acceptLanguage) return null;
  const asked = new Negotiator({ headers: { "accept-language": acceptLanguage.slice(0, 512) } }).languages();
  for (const tag of asked) {
    const language = tag.toLowerCase().split("-")[0];
    if (isLocale(language)) return language;
  }
  return null;
}

/** The value of the locale cookie in a Cookie header, when it names a supported locale. */
export function localeFromCookie(cookieHeader: string | null | undefined): Locale | null {
  const value = cookieHeader?.match(/(?:^|;\s*)locale=([^;]*)/)?.[1];
  return isLocale(value) ? value : null;
}

/**
 * The locale of a request: the signed-in user's saved language, else the switcher's cookie, else
 * the browser's Accept-Language, else the server's default. Pure: it never costs a query.
 */
export function resolveLocale(sources: {
  saved?: string | null;
  cookie?: string | null;
  acceptLanguage?: string | null;
  fallback: Locale;
}): Locale {
  if (isLocale(sources.saved)) return sources.saved;
  if (isLocale(sources.cookie)) return sources.cookie;
  return negotiateLocale(sources.acceptLanguage) ?? sources.fallback;
}
