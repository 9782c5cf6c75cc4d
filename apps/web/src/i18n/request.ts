// The locale, messages and time zone of each page, for next-intl's server and client components:
// the signed-in user's saved language and time zone, else the switcher's cookie, else the
// browser's Accept-Language, else DEFAULT_LOCALE. It reads no more than the page already does.
import { cookies, headers } from "next/headers";
import { getRequestConfig } from "next-intl/server";
import { getConfig } from "@mastoc/api";
import { catalogs, LOCALE_COOKIE, resolveLocale } from "@mastoc/api/i18n";
import { currentUser } from "@/identity/caller";

export default getRequestConfig(async () => {
  const [user, cookieStore, requestHeaders] = await Promise.all([currentUser(), cookies(), headers()]);
  const locale = resolveLocale({
    saved: user?.locale,
    cookie: cookieStore.get(LOCALE_COOKIE)?.value,
    acceptLanguage: requestHeaders.get("accept-language"),
    fallback: getConfig().DEFAULT_LOCALE,
  });
  return { locale, messages: catalogs[locale], timeZone: user?.timeZone ?? "UTC", now: new Date() };
});
