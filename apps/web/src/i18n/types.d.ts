// next-intl's keys and locales are the catalogs': a missing or misspelt key is a compile error.
import type { Catalog, Locale } from "@mastoc/api/i18n";

declare module "next-intl" {
  interface AppConfig {
    Locale: Locale;
    Messages: Catalog;
  }
}
