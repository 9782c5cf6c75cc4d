"use client";

import { useMutation } from "@tanstack/react-query";
import { signIn } from "next-auth/react";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { useForm } from "react-hook-form";
import type { z } from "zod";
import { registerInput } from "@mastoc/api/schemas";
import { Field, FormAlert } from "@/components/field";
import { PasswordStrength } from "@/components/password-strength";
import { useLocalizedResolver, useServerMessage, useServerSubmit } from "@/lib/forms";
import { useTRPC } from "@/lib/trpc";

type Values = z.input<typeof registerInput>;
const FIELDS = ["email", "username", "password", "name"] as const;

/** How the sign-in after registering is refused while addresses must be verified first. */
const UNVERIFIED = /verify your email address/i;

/**
 * Creates the account, then signs the browser in with the same credentials. Where addresses must
 * be verified before signing in (REQUIRE_VERIFIED_EMAIL), that sign-in is refused: the page then
 * says where the link went, and can ask for a new one (each refused sign-in mails a fresh link,
 * within the account's hourly budget).
 */
export function RegisterForm() {
  const t = useTranslations("auth.register");
  const trpc = useTRPC();
  const router = useRouter();
  const form = useForm<Values>({
    resolver: useLocalizedResolver(registerInput),
    defaultValues: { email: "", username: "", password: "", name: "" },
  });
  const register = useMutation(trpc.auth.register.mutationOptions());
  const { errors, isSubmitting } = form.formState;
  const [email, username, password] = form.watch(["email", "username", "password"]);

  const [inbox, setInbox] = useState<{ email: string; password: string } | null>(null);

  const { formError, onSubmit } = useServerSubmit(form, FIELDS, async (values) => {
    const user = await register.mutateAsync(values);
    const result = await signIn("credentials", { email: user.email, password: values.password, redirect: false });
    if (result?.ok && !result.error) {
      router.push("/profile?welcome=1");
      router.refresh();
      return;
    }
    if (result?.error && UNVERIFIED.test(result.error)) {
      setInbox({ email: user.email, password: values.password });
      return;
    }
    router.push("/login?registered=1");
  });

  if (inbox) return <CheckInbox {...inbox} />;

  return (
    <form onSubmit={onSubmit} noValidate>
      <FormAlert message={formError} />
      <Field
        id="email"
        label={t("email")}
        type="email"
        autoComplete="email"
        registration={form.register("email")}
        error={errors.email}
      />
      <Field
        id="username"
        label={t("username")}
        autoComplete="username"
        registration={form.register("username")}
        error={errors.username}
        hint={t("usernameHint")}
      />
      <Field
        id="password"
        label={t("password")}
        type="password"
        autoComplete="new-password"
        registration={form.register("password")}
        error={errors.password}
        hint={<PasswordStrength password={password ?? ""} email={email} username={username} />}
      />
      <Field
        id="name"
        label={t("name")}
        autoComplete="nickname"
        registration={form.register("name")}
        error={errors.name}
      />
      <button type="submit" disabled={isSubmitting}>
        {isSubmitting ? t("submitting") : t("submit")}
      </button>
    </form>
  );
}

function CheckInbox({ email, password }: { email: string; password: string }) {
  const t = useTranslations("auth.register");
  const serverMessage = useServerMessage();
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const resend = async () => {
    setStatus(null);
    setError(null);
    setPending(true);
    try {
      const result = await signIn("credentials", { email, password, redirect: false });
      if (result?.ok && !result.error) {
        // Verified meanwhile (from another tab): the account is open.
        window.location.assign("/profile");
        return;
      }
      if (result?.error && UNVERIFIED.test(result.error)) setStatus(t("newLinkSent", { email }));
      else setError(result?.error && result.error !== "CredentialsSignin" ? result.error : t("noNewLink"));
    } catch (caught) {
      setError(serverMessage(caught));
    } finally {
      setPending(false);
    }
  };
  return (
    <div>
      <h2 ref={heading} tabIndex={-1}>
        {t("inboxTitle", { email })}
      </h2>
      <p>{t.rich("inboxText", { email, strong: (chunks) => <strong>{chunks}</strong> })}</p>
      <FormAlert message={error} />
      <FormAlert message={status} tone="ok" />
      <p className="row">
        <button type="button" className="secondary" onClick={resend} disabled={pending}>
          {t("sendNewLink")}
        </button>
        <a href="/login">{t("goToSignIn")}</a>
      </p>
    </div>
  );
}
