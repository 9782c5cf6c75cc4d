"use client";

import { useMutation } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useForm } from "react-hook-form";
import { changeEmailInput } from "@mastoc/api/schemas";
import { Field, FormAlert } from "@/components/field";
import { useLocalizedResolver, useServerSubmit } from "@/lib/forms";
import { useTRPC } from "@/lib/trpc";

export function ChangeEmailForm({ email, verified }: { email: string; verified: boolean }) {
  const t = useTranslations("settings.email");
  const trpc = useTRPC();
  const form = useForm({
    resolver: useLocalizedResolver(changeEmailInput),
    defaultValues: { newEmail: "", password: "" },
  });
  const change = useMutation(trpc.users.changeEmail.mutationOptions());
  const { errors, isSubmitting } = form.formState;
  const { formError, formStatus, onSubmit } = useServerSubmit(form, ["newEmail", "password"], async (values) => {
    const { sentTo } = await change.mutateAsync(values);
    form.reset();
    return t("sent", { email: sentTo });
  });
  return (
    <form onSubmit={onSubmit} noValidate>
      <p>
        {t.rich("current", { email, verified: verified ? "yes" : "no", strong: (chunks) => <strong>{chunks}</strong> })}
      </p>
      <FormAlert message={formError} />
      <FormAlert message={formStatus} tone="ok" />
      <Field
        id="new-email"
        label={t("newEmail")}
        type="email"
        autoComplete="email"
        registration={form.register("newEmail")}
        error={errors.newEmail}
      />
      <Field
        id="email-password"
        label={t("password")}
        type="password"
        autoComplete="current-password"
        registration={form.register("password")}
        error={errors.password}
      />
      <button type="submit" disabled={isSubmitting}>
        {isSubmitting ? t("submitting") : t("submit")}
      </button>
    </form>
  );
}
