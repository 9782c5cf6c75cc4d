"use client";

import { useMutation } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useForm } from "react-hook-form";
import type { z } from "zod";
import { updateMeInput } from "@mastoc/api/schemas";
import { Field, FormAlert } from "@/components/field";
import { useLocalizedResolver, useServerSubmit } from "@/lib/forms";
import { useTRPC } from "@/lib/trpc";

type Values = z.input<typeof updateMeInput>;
const FIELDS = ["name", "username", "firstName", "lastName"] as const;

export function ProfileForm({
  user,
}: {
  user: { name: string | null; username: string; firstName: string | null; lastName: string | null };
}) {
  const t = useTranslations("settings.profile");
  const trpc = useTRPC();
  const router = useRouter();
  const form = useForm({
    resolver: useLocalizedResolver(updateMeInput),
    defaultValues: {
      name: user.name ?? "",
      username: user.username,
      firstName: user.firstName ?? "",
      lastName: user.lastName ?? "",
    } satisfies Values,
  });
  const update = useMutation(trpc.users.updateMe.mutationOptions());
  const { errors, isSubmitting } = form.formState;
  const { formError, formStatus, onSubmit } = useServerSubmit(form, FIELDS, async (values) => {
    await update.mutateAsync(values);
    router.refresh();
    return t("saved");
  });
  return (
    <form onSubmit={onSubmit} noValidate>
      <FormAlert message={formError} />
      <FormAlert message={formStatus} tone="ok" />
      <div className="grid-2">
        <Field id="profile-name" label={t("name")} registration={form.register("name")} error={errors.name} />
        <Field
          id="profile-username"
          label={t("username")}
          autoComplete="username"
          registration={form.register("username")}
          error={errors.username}
        />
        <Field
          id="profile-first"
          label={t("firstName")}
          autoComplete="given-name"
          registration={form.register("firstName")}
          error={errors.firstName}
        />
        <Field
          id="profile-last"
          label={t("lastName")}
          autoComplete="family-name"
          registration={form.register("lastName")}
          error={errors.lastName}
        />
      </div>
      <button type="submit" disabled={isSubmitting}>
        {isSubmitting ? t("submitting") : t("submit")}
      </button>
    </form>
  );
}
