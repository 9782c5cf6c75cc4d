"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import { signOut } from "next-auth/react";
import { useForm } from "react-hook-form";
import { deleteMeInput } from "@mastoc/api/schemas";
import { Field, FormAlert } from "@/components/field";
import { useServerSubmit } from "@/lib/forms";
import { useTRPC } from "@/lib/trpc";

export function DeleteAccount() {
  const trpc = useTRPC();
  const form = useForm({ resolver: zodResolver(deleteMeInput), defaultValues: { password: "" } });
  const remove = useMutation(trpc.users.deleteMe.mutationOptions());
  const { formError, onSubmit } = useServerSubmit(form, ["password"], async (values) => {
    if (!window.confirm("Delete your account for good? Your climbs stay, shown as made by a deleted user.")) return;
    await remove.mutateAsync(values);
    await signOut({ callbackUrl: "/login" });
  });
  return (
    <form onSubmit={onSubmit} noValidate>
      <p className="muted">
        This removes your profile, sessions, API keys and avatar. Your climbs stay, without your name.
      </p>
      <FormAlert message={formError} />
      <Field
        id="delete-password"
        label="Password to confirm"
        type="password"
        autoComplete="current-password"
        registration={form.register("password")}
        error={form.formState.errors.password}
      />
      <button type="submit" className="danger" disabled={form.formState.isSubmitting}>
        Delete my account
      </button>
    </form>
  );
}
