"use client";

import { useMutation } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { FormAlert } from "@/components/field";
import { useServerAction } from "@/lib/forms";
import { useTRPC } from "@/lib/trpc";

/** Shown on every page while the signed-in account's address is unverified, with a resend button. */
export function VerifyEmailBanner({ email }: { email: string }) {
  const t = useTranslations("auth.verify");
  const trpc = useTRPC();
  const resend = useMutation(trpc.auth.requestEmailVerification.mutationOptions());
  const { error, status, pending, run } = useServerAction();
  return (
    <aside className="banner" aria-label={t("bannerLabel")}>
      <p>{t.rich("bannerText", { email, strong: (chunks) => <strong>{chunks}</strong> })}</p>
      <button
        type="button"
        className="secondary"
        disabled={pending}
        onClick={() =>
          run(async () => {
            const { sentTo } = await resend.mutateAsync();
            return t("newLinkSent", { email: sentTo });
          })
        }
      >
        {pending ? t("sending") : t("sendNewLink")}
      </button>
      <FormAlert message={error} />
      <FormAlert message={status} tone="ok" />
    </aside>
  );
}
