"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useForm } from "react-hook-form";
import { changePasswordInput } from "@mastoc/api/schemas";
import { Field, FormAlert } from "@/components/field";
import { PasswordStrength } from "@/components/password-strength";
import { useServerSubmit } from "@/lib/forms";
import { plural } from "@/lib/format";
import { useTRPC } from "@/lib/trpc";

export function ChangePasswordForm({ email, username }: { email: string; username: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const form = useForm({
    resolver: zodResolver(changePasswordInput),
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
      return otherSessionsRevoked === 0
        ? "Password changed. No other session was signed in."
        : `Password changed. ${plural(otherSessionsRevoked, "other session")} ${otherSessionsRevoked === 1 ? "was" : "were"} signed out.`;
    },
  );
  const newPassword = form.watch("newPassword");
  return (
    <form onSubmit={onSubmit} noValidate>
      <FormAlert message={formError} />
      <FormAlert message={formStatus} tone="ok" />
      <Field
        id="current-password"
        label="Current password"
        type="password"
        autoComplete="current-password"
        registration={form.register("currentPassword")}
        error={errors.currentPassword}
      />
      <Field
        id="new-password"
        label="New password"
        type="password"
        autoComplete="new-password"
        registration={form.register("newPassword")}
        error={errors.newPassword}
        hint={<PasswordStrength password={newPassword ?? ""} email={email} username={username} />}
      />
      <button type="submit" disabled={isSubmitting}>
        {isSubmitting ? "Changing…" : "Change password"}
      </button>
    </form>
  );
}
