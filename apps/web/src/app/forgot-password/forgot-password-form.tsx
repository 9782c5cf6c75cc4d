"use client";

import { useMutation } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { useForm } from "react-hook-form";
import type { z } from "zod";
import { requestPasswordResetInput } from "@mastoc/api/schemas";
import { Field, FormAlert } from "@/components/field";
import { useLocalizedResolver, useServerSubmit } from "@/lib/forms";
import { useTRPC } from "@/lib/trpc";

type Values = z.input<typeof requestPasswordResetInput>;

export function ForgotPasswordForm() {
  const t = useTranslations("auth.forgot");
  const trpc = useTRPC();
  const [done, setDone] = useState<string | null>(null);
  const form = useForm<Values>({
    resolver: useLocalizedResolver(requestPasswordResetInput),
    defaultValues: { email: "" },
  });
  const request = useMutation(trpc.auth.requestPasswordReset.mutationOptions());

  const { formError, onSubmit } = useServerSubmit(form, ["email"], async (values) => {
    setDone((await request.mutateAsync(values)).message);
  });

  if (done) return <FormAlert message={done} tone="ok" />;
  return (
    <form onSubmit={onSubmit} noValidate>
      <FormAlert message={formError} />
      <Field
        id="email"
        label={t("email")}
        type="email"
        autoComplete="email"
        registration={form.register("email")}
        error={form.formState.errors.email}
      />
      <button type="submit" disabled={form.formState.isSubmitting}>
        {form.formState.isSubmitting ? t("submitting") : t("submit")}
      </button>
    </form>
  );
}
