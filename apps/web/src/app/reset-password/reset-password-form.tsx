"use client";

import { useMutation } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useForm } from "react-hook-form";
import type { z } from "zod";
import { confirmPasswordResetInput } from "@mastoc/api/schemas";
import { Field, FormAlert } from "@/components/field";
import { PasswordStrength } from "@/components/password-strength";
import { useLocalizedResolver, useServerSubmit } from "@/lib/forms";
import { useTRPC } from "@/lib/trpc";

type Values = z.input<typeof confirmPasswordResetInput>;

export function ResetPasswordForm({ token }: { token: string }) {
  const t = useTranslations("auth.reset");
  const trpc = useTRPC();
  const router = useRouter();
  const form = useForm<Values>({
    resolver: useLocalizedResolver(confirmPasswordResetInput),
    defaultValues: { token, password: "" },
  });
  const confirm = useMutation(trpc.auth.confirmPasswordReset.mutationOptions());
  const password = form.watch("password");

  // An invalid or used link is reported on the (hidden) token field: it shows as the form's message.
  const { formError, onSubmit } = useServerSubmit(form, ["password"], async (values) => {
    await confirm.mutateAsync(values);
    router.push("/login?reset=1");
  });

  return (
    <form onSubmit={onSubmit} noValidate>
      <FormAlert message={formError} />
      <input type="hidden" {...form.register("token")} />
      <Field
        id="password"
        label={t("password")}
        type="password"
        autoComplete="new-password"
        registration={form.register("password")}
        error={form.formState.errors.password}
        hint={<PasswordStrength password={password ?? ""} />}
      />
      <button type="submit" disabled={form.formState.isSubmitting}>
        {form.formState.isSubmitting ? t("submitting") : t("submit")}
      </button>
    </form>
  );
}
