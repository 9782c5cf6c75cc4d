"use client";

import { useMutation } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { FormAlert } from "@/components/field";
import { useServerAction } from "@/lib/forms";
import { useTRPC } from "@/lib/trpc";

export function VerifyEmailForm({ token }: { token: string }) {
  const t = useTranslations("auth.verify");
  const trpc = useTRPC();
  const router = useRouter();
  const confirm = useMutation(trpc.auth.confirmEmailVerification.mutationOptions());
  const { error, status, pending, run } = useServerAction();
  const done = status !== null;
  return (
    <>
      <FormAlert message={error} />
      <FormAlert message={status} tone="ok" />
      {!done && (
        <>
          <p>{t("confirmText")}</p>
          <button
            type="button"
            disabled={pending}
            onClick={() =>
              run(async () => {
                const user = await confirm.mutateAsync({ token });
                router.refresh();
                return t("verified", { email: user.email });
              })
            }
          >
            {pending ? t("submitting") : t("submit")}
          </button>
        </>
      )}
    </>
  );
}
