"use client";

import { useMutation } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useForm } from "react-hook-form";
import { changePasswordInput } from "@mastoc/api/schemas";
import { Field, FormAlert } from "@/components/field";
import { PasswordStrength } from "@/components/password-strength";
import { useLocalizedResolver, useServerSubmit } from "@/lib/forms";
import { useTRPC } from "@/lib/trpc";

export function ChangePasswordForm({ email, username }: { email: string; username: string }) {
  const t = useTranslations("settings.password");
  const trpc = useTRPC();
  const router = useRouter();
  const form = useForm({
    resolver: useLocalizedResolver(changePasswordInput),
    defaultValues: { currentPassword: "", newPassword: "" },
  });
  const change = useMutation(trpc.auth.changePassword.mutationOptions());
  const { errors, isSubmitting } = form.formState;
  const { formError, formStatus, onSubmit } = useServerSubmit(
    form,
    ["currentPassword", "newPassword"],
    async (values) => {
      const { otherSessionsRevoked } = await change.mutateAsync(values);
      form.reset();
      router.refresh();
      return t("changed", { count: otherSessionsRevoked });
    },
  );
  const newPassword = form.watch("newPassword");
  return (
    <form onSubmit={onSubmit} noValidate>
      <FormAlert message={formError} />
      <FormAlert message={formStatus} tone="ok" />
      <Field
        id="current-password"
        label={t("current")}
        type="password"
        autoComplete="current-password"
        registration={form.register("currentPassword")}
        error={errors.currentPassword}
      />
      <Field
        id="new-password"
        label={t("new")}
        type="password"
        autoComplete="new-password"
        registration={form.register("newPassword")}
        error={errors.newPassword}
        hint={<PasswordStrength password={newPassword ?? ""} email={email} username={username} />}
      />
      <button type="submit" disabled={isSubmitting}>
        {isSubmitting ? t("submitting") : t("submit")}
      </button>
    </form>
  );
}
