"use client";

import { signOut } from "next-auth/react";
import { useTranslations } from "next-intl";
import { FormAlert } from "@/components/field";
import { useServerAction } from "@/lib/forms";

export function SignOutButton() {
  const t = useTranslations("layout");
  const { error, pending, run } = useServerAction();
  return (
    <>
      <button
        type="button"
        className="secondary"
        disabled={pending}
        onClick={() => run(() => signOut({ callbackUrl: "/login" }))}
      >
        {t("signOut")}
      </button>
      <FormAlert message={error} />
    </>
  );
}
