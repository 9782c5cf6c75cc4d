// Validation messages in the reader's language, for the API (fieldErrors in ctx.locale) and the
// portal's forms (in the browser: this module imports nothing from Node).
//
// The schemas' own messages are written in English from the `validation` catalog and remembered
// with their key (validation-keys.ts): zod 4 gives a schema's own message precedence over any
// per-parse error map, so they are written again here, after parsing. zod's built-in checks speak
// through zod's own locales (z.locales.en / z.locales.fr), as a per-parse error map in the forms,
// and re-written from the issue (and the raw input) in the API, whose schemas parse in English.
//
// In a form (react-hook-form):
//   import { localizedResolver } from "@mastoc/api/i18n/zod";
//   const locale = useLocale() as Locale;
//   useForm({ resolver: localizedResolver(registerInput, locale) });
// Elsewhere: `localizeIssue(issue, locale)` for one zod issue, `zodErrorMap(locale)` as a per-parse
// error map (`schema.safeParse(value, { error: zodErrorMap(locale) })`).
import { toNestErrors, validateFieldsNatively } from "@hookform/resolvers";
import type { FieldError, FieldValues, Resolver } from "react-hook-form";
import { createTranslator } from "use-intl/core";
import { z } from "zod";
import type { Locale } from "./locales";
import enValidation from "./messages/en/validation.json";
import frValidation from "./messages/fr/validation.json";
import { messageOf } from "./validation-keys";

const validationCatalogs: Record<Locale, typeof enValidation> = { en: enValidation, fr: frValidation };
const zodLocales: Record<Locale, () => { localeError: z.core.$ZodErrorMap }> = {
  en: z.locales.en,
  fr: z.locales.fr,
};

/** French typography for zod's own French messages: a non-breaking space before « : ; ? ! ». */
const frenchSpacing = (text: string) => text.replace(/ ([:;?!])/g, "\u00a0$1");

type ErrorMap = (issue: z.core.$ZodRawIssue) => string | undefined;
const errorMaps = new Map<Locale, ErrorMap>();

/** zod's built-in messages in `locale`, as a per-parse error map: `schema.safeParse(value, { error: zodErrorMap(locale) })`. */
export function zodErrorMap(locale: Locale): ErrorMap {
  let map = errorMaps.get(locale);
  if (!map) {
    const { localeError } = zodLocales[locale]();
    map = (issue) => {
      const found = localeError(issue);
      const text = typeof found === "string" ? found : found?.message;
      return text === undefined ? undefined : locale === "fr" ? frenchSpacing(text) : text;
    };
    errorMaps.set(locale, map);
  }
  return map;
}

type IssueLike = { code?: string; message: string; path: PropertyKey[] };

/** The value at `path` in `input`, which a built-in message may describe ("expected string, received number"). */
function valueAt(input: unknown, path: PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== "object" || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/**
 * One issue's message in `locale`: a schema's own message is written from its key; a built-in
 * message that zod wrote in English (the API's schemas parse without a per-parse map) is written
 * again in `locale` (from `input`, the raw input the issue's path points into); any other message
 * is kept as it is.
 */
export function localizeIssue(issue: IssueLike, locale: Locale, input?: unknown): string {
  const own = messageOf(issue.message);
  if (own) {
    if (locale === "en") return issue.message;
    const t = createTranslator({
      locale,
      messages: { validation: validationCatalogs[locale] },
      namespace: "validation",
    });
    return t(own.key, own.values);
  }
  if (locale !== "en" && issue.code) {
    const raw = { ...issue, input: valueAt(input, issue.path) } as unknown as z.core.$ZodRawIssue;
    if (zodErrorMap("en")(raw) === issue.message) return zodErrorMap(locale)(raw) ?? issue.message;
  }
  return issue.message;
}

/**
 * A react-hook-form resolver that validates with `schema` and reports every field's first message
 * in `locale` (the portal's forms; `useLocale()` gives the locale).
 */
export function localizedResolver<Input extends FieldValues, Output>(
  schema: z.ZodType<Output, Input>,
  locale: Locale,
): Resolver<Input, unknown, Output> {
  return async (values, _context, options) => {
    const result = await schema.safeParseAsync(values, { error: zodErrorMap(locale) });
    if (result.success) {
      if (options.shouldUseNativeValidation) validateFieldsNatively({}, options);
      return { values: result.data, errors: {} };
    }
    const errors: Record<string, FieldError> = {};
    for (const issue of result.error.issues) {
      const field = issue.path.join(".");
      errors[field] ??= { type: issue.code, message: localizeIssue(issue, locale, values) };
    }
    return { values: {}, errors: toNestErrors(errors, options) };
  };
}
