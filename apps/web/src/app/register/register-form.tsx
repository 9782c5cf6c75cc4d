"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useForm } from "react-hook-form";
import type { z } from "zod";
import { registerInput } from "@mastoc/api/schemas";
import { Field, FormAlert } from "@/components/field";
import { PasswordStrength } from "@/components/password-strength";
import { useServerSubmit } from "@/lib/forms";
import { useTRPC } from "@/lib/trpc";

type Values = z.input<typeof registerInput>;
const FIELDS = ["email", "username", "password", "name"] as const;

export function RegisterForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const form = useForm<Values>({
    resolver: zodResolver(registerInput),
    defaultValues: { email: "", username: "", password: "", name: "" },
  });
  const register = useMutation(trpc.auth.register.mutationOptions());
  const { errors, isSubmitting } = form.formState;
  const [email, username, password] = form.watch(["email", "username", "password"]);

  const { formError, onSubmit } = useServerSubmit(form, FIELDS, async (values) => {
    await register.mutateAsync(values);
    router.push("/login?registered=1");
  });

  return (
    <form onSubmit={onSubmit} noValidate>
      <FormAlert message={formError} />
      <Field
        id="email"
        label="Email"
        type="email"
        autoComplete="email"
        registration={form.register("email")}
        error={errors.email}
      />
      <Field
        id="username"
        label="Username"
        autoComplete="username"
        registration={form.register("username")}
        error={errors.username}
        hint="3–32 letters, digits, '_', '.' or '-'"
      />
      <Field
        id="password"
        label="Password"
        type="password"
        autoComplete="new-password"
        registration={form.register("password")}
        error={errors.password}
        hint={<PasswordStrength password={password ?? ""} email={email} username={username} />}
      />
      <Field
        id="name"
        label="Display name (optional)"
        autoComplete="nickname"
        registration={form.register("name")}
        error={errors.name}
      />
      <button type="submit" disabled={isSubmitting}>
        {isSubmitting ? "Creating…" : "Create account"}
      </button>
    </form>
  );
}
