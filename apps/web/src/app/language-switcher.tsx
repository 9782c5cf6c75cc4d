"use client";

import { useMutation } from "@tanstack/react-query";
import { useLocale, useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useId, useTransition } from "react";
import { isLocale, LOCALE_COOKIE, LOCALES } from "@mastoc/api/i18n/locales";
import { useTRPC } from "@/lib/trpc";

/**
 * The language of every page, before and after signing in: the choice is kept a year in a cookie
 * on this device and, for a signed-in user, saved on the account (so it follows them to every
 * device, and their emails use it).
 */
export function LanguageSwitcher({ signedIn }: { signedIn: boolean }) {
  const t = useTranslations("common");
  const locale = useLocale();
  const id = useId();
  const router = useRouter();
  const trpc = useTRPC();
  const save = useMutation(trpc.users.updateMe.mutationOptions());
  const [pending, startTransition] = useTransition();
  return (
    <span className="language-switcher">
      <label htmlFor={id} className="visually-hidden">
        {t("language")}
      </label>
      <select
        id={id}
        value={locale}
        disabled={pending}
        onChange={(event) => {
          const chosen = event.target.value;
          if (!isLocale(chosen)) return;
          document.cookie = `${LOCALE_COOKIE}=${chosen}; path=/; max-age=31536000; samesite=lax`;
          startTransition(async () => {
            // The cookie alone still switches this device when saving fails (offline, session ended).
            if (signedIn) await save.mutateAsync({ locale: chosen }).catch(() => undefined);
            router.refresh();
          });
        }}
      >
        {LOCALES.map((option) => (
          <option key={option} value={option} lang={option}>
            {t(`languages.${option}`)}
          </option>
        ))}
      </select>
    </span>
  );
}
