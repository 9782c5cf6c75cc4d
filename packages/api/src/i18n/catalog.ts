// One catalog per locale: a folder of namespace files, each shared by every surface that shows the
// same words (portal, emails, API messages, CLI). English is the reference: the French catalog must
// have the same shape (a missing key is a compile error here; catalog.test.ts also refuses extra
// keys, unparsable ICU messages and variables that differ between locales).
// A new language: copy messages/en to messages/<locale>, translate, add it to LOCALES and below.
import type { Locale } from "./locales";
import enAdmin from "./messages/en/admin.json";
import enAuth from "./messages/en/auth.json";
import enCli from "./messages/en/cli.json";
import enClimbs from "./messages/en/climbs.json";
import enCommon from "./messages/en/common.json";
import enEmail from "./messages/en/email.json";
import enErrors from "./messages/en/errors.json";
import enLayout from "./messages/en/layout.json";
import enOidc from "./messages/en/oidc.json";
import enPassword from "./messages/en/password.json";
import enSettings from "./messages/en/settings.json";
import enValidation from "./messages/en/validation.json";
import frAdmin from "./messages/fr/admin.json";
import frAuth from "./messages/fr/auth.json";
import frCli from "./messages/fr/cli.json";
import frClimbs from "./messages/fr/climbs.json";
import frCommon from "./messages/fr/common.json";
import frEmail from "./messages/fr/email.json";
import frErrors from "./messages/fr/errors.json";
import frLayout from "./messages/fr/layout.json";
import frOidc from "./messages/fr/oidc.json";
import frPassword from "./messages/fr/password.json";
import frSettings from "./messages/fr/settings.json";
import frValidation from "./messages/fr/validation.json";

const en = {
  admin: enAdmin,
  auth: enAuth,
  cli: enCli,
  climbs: enClimbs,
  common: enCommon,
  email: enEmail,
  errors: enErrors,
  layout: enLayout,
  oidc: enOidc,
  password: enPassword,
  settings: enSettings,
  validation: enValidation,
};

/** The shape every locale's catalog has: the English one's. */
export type Catalog = typeof en;
export type Namespace = keyof Catalog;

const fr: Catalog = {
  admin: frAdmin,
  auth: frAuth,
  cli: frCli,
  climbs: frClimbs,
  common: frCommon,
  email: frEmail,
  errors: frErrors,
  layout: frLayout,
  oidc: frOidc,
  password: frPassword,
  settings: frSettings,
  validation: frValidation,
};

export const catalogs: Record<Locale, Catalog> = { en, fr };

type Keys<T, Prefix extends string = ""> = {
  [K in keyof T & string]: T[K] extends string ? `${Prefix}${K}` : Keys<T[K], `${Prefix}${K}.`>;
}[keyof T & string];

/** A message's full key within a namespace ("auth.invalidCredentials" in `errors`). */
export type MessageKey<N extends Namespace> = Keys<Catalog[N]>;
