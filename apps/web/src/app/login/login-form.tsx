"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { loginInput } from "@mastoc/api/schemas";
import { Field, FormAlert } from "@/components/field";

type Values = z.input<typeof loginInput>;

/** What the password step answers when the account asks for a second factor. */
const MFA_REQUIRED = "MFA_REQUIRED";

const codeInput = z.object({
  code: z.string().trim().min(1, "Enter the code from your authenticator app").max(32, "That is not a code"),
});

/**
 * Sign-in in one or two steps: email and password, then (accounts with two-factor
 * authentication) a code from the authenticator app or a recovery code.
 */
export function LoginForm({ next }: { next: string }) {
  const router = useRouter();
  const [step, setStep] = useState<"password" | "code">("password");
  const [formError, setFormError] = useState<string | null>(null);

  const finish = () => {
    router.replace(next);
    router.refresh();
  };

  if (step === "code") {
    return (
      <CodeStep
        onSignedIn={finish}
        onStartOver={(message) => {
          setStep("password");
          setFormError(message);
        }}
      />
    );
  }
  return (
    <PasswordStep
      formError={formError}
      setFormError={setFormError}
      onSignedIn={finish}
      onCodeNeeded={() => {
        setFormError(null);
        setStep("code");
      }}
    />
  );
}

function PasswordStep({
  formError,
  setFormError,
  onSignedIn,
  onCodeNeeded,
}: {
  formError: string | null;
  setFormError: (message: string | null) => void;
  onSignedIn: () => void;
  onCodeNeeded: () => void;
}) {
  const form = useForm<Values>({ resolver: zodResolver(loginInput), defaultValues: { email: "", password: "" } });
  const { errors, isSubmitting } = form.formState;

  // NextAuth's credentials sign-in answers with the API's message: the generic one, or the lockout.
  const onSubmit = form.handleSubmit(async (values) => {
    setFormError(null);
    const result = await signIn("credentials", { ...values, redirect: false });
    if (result?.error === MFA_REQUIRED) return onCodeNeeded();
    if (!result || result.error) {
      setFormError(result?.error && result.error !== "CredentialsSignin" ? result.error : "Invalid email or password");
      return;
    }
    onSignedIn();
  });

  return (
    <form onSubmit={onSubmit} noValidate>
      <FormAlert message={formError} />
      <Field
        id="email"
        label="Email"
        type="email"
        autoComplete="username"
        registration={form.register("email")}
        error={errors.email}
      />
      <Field
        id="password"
        label="Password"
        type="password"
        autoComplete="current-password"
        registration={form.register("password")}
        error={errors.password}
      />
      <button type="submit" disabled={isSubmitting}>
        {isSubmitting ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}

function CodeStep({
  onSignedIn,
  onStartOver,
}: {
  onSignedIn: () => void;
  onStartOver: (message: string | null) => void;
}) {
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<z.input<typeof codeInput>>({ resolver: zodResolver(codeInput), defaultValues: { code: "" } });
  const { errors, isSubmitting } = form.formState;

  const onSubmit = form.handleSubmit(async ({ code }) => {
    setFormError(null);
    const result = await signIn("credentials", { code: code.trim(), redirect: false });
    if (!result || result.error) {
      setFormError(
        result?.error && result.error !== "CredentialsSignin" ? result.error : "Invalid or expired sign-in code",
      );
      form.setValue("code", "");
      form.setFocus("code");
      return;
    }
    onSignedIn();
  });

  return (
    <form onSubmit={onSubmit} noValidate aria-labelledby="code-step-title">
      <h2 id="code-step-title">Two-factor authentication</h2>
      <FormAlert message={formError} />
      <Field
        id="code"
        label="Authentication code"
        autoComplete="one-time-code"
        autoFocus
        spellCheck={false}
        hint="The 6-digit code from your authenticator app, or one of your recovery codes."
        registration={form.register("code")}
        error={errors.code}
      />
      <button type="submit" disabled={isSubmitting}>
        {isSubmitting ? "Checking…" : "Verify"}
      </button>{" "}
      <button type="button" className="secondary" onClick={() => onStartOver(null)}>
        Start over
      </button>
    </form>
  );
}
