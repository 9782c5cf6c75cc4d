"use client";

import { useMutation } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useEffect, useId, useState, type FormEvent } from "react";
import { isLocale, LOCALE_COOKIE, LOCALES, type Locale } from "@mastoc/api/i18n/locales";
import { FormAlert } from "@/components/field";
import { useServerAction } from "@/lib/forms";
import { useTRPC } from "@/lib/trpc";

/**
 * Every IANA time zone this browser knows, the saved one included even if it does not. Read after
 * hydration: the server's list may differ from the browser's.
 */
function timeZones(saved: string): string[] {
  const known = Intl.supportedValuesOf("timeZone");
  return known.includes(saved) ? known : [saved, ...known].sort();
}

/**
 * The account's language and time zone: both saved on the account, so every device and every
 * email follows them. The language also goes into this device's cookie, as the header's switcher does.
 */
export function PreferencesForm({ locale, timeZone }: { locale: Locale; timeZone: string }) {
  const t = useTranslations("settings.preferences");
  const languages = useTranslations("common.languages");
  const trpc = useTRPC();
  const router = useRouter();
  const id = useId();
  const update = useMutation(trpc.users.updateMe.mutationOptions());
  const { error, status, pending, run } = useServerAction();
  const [chosenLocale, setChosenLocale] = useState<Locale>(locale);
  const [chosenZone, setChosenZone] = useState(timeZone);
  const [zones, setZones] = useState([timeZone]);
  useEffect(() => setZones(timeZones(timeZone)), [timeZone]);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      await update.mutateAsync({ locale: chosenLocale, timeZone: chosenZone });
      document.cookie = `${LOCALE_COOKIE}=${chosenLocale}; path=/; max-age=31536000; samesite=lax`;
      router.refresh();
      return t("saved");
    });
  };

  return (
    <form onSubmit={onSubmit} noValidate>
      <FormAlert message={error} />
      <FormAlert message={status} tone="ok" />
      <div className="grid-2">
        <div className="field">
          <label htmlFor={`${id}-locale`}>{t("language")}</label>
          <select
            id={`${id}-locale`}
            value={chosenLocale}
            onChange={(event) => isLocale(event.target.value) && setChosenLocale(event.target.value)}
          >
            {LOCALES.map((option) => (
              <option key={option} value={option} lang={option}>
                {languages(option)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-zone`}>{t("timeZone")}</label>
          <select
            id={`${id}-zone`}
            value={chosenZone}
            aria-describedby={`${id}-zone-hint`}
            onChange={(event) => setChosenZone(event.target.value)}
          >
            {zones.map((zone) => (
              <option key={zone} value={zone}>
                {zone.replaceAll("_", " ")}
              </option>
            ))}
          </select>
          <span id={`${id}-zone-hint`} className="muted">
            {t("timeZoneHint")}
          </span>
        </div>
      </div>
      <button type="submit" disabled={pending}>
        {pending ? t("submitting") : t("submit")}
      </button>
    </form>
  );
}
