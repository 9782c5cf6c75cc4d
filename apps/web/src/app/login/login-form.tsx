"use client";

import { browserSupportsWebAuthn, startAuthentication } from "@simplewebauthn/browser";
import { useMutation } from "@tanstack/react-query";
import { signIn } from "next-auth/react";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { loginInput } from "@mastoc/api/schemas";
import { Field, FormAlert } from "@/components/field";
import { useLocalizedResolver, useServerMessage } from "@/lib/forms";
import { useTRPC } from "@/lib/trpc";

type Values = z.input<typeof loginInput>;

/**
 * The message of a failed NextAuth credentials sign-in: the API's own (generic, lockout, expired
 * code), or `fallback` when NextAuth only says the sign-in failed.
 */
const failureOf = (result: { error?: string | null } | undefined, fallback: string) =>
  result?.error && result.error !== "CredentialsSignin" ? result.error : fallback;

/** What the password step answers when the account asks for a second factor. */
const MFA_REQUIRED = "MFA_REQUIRED";

const codeInput = (required: string, tooLong: string) =>
  z.object({ code: z.string().trim().min(1, required).max(32, tooLong) });

/**
 * Sign-in in one or two steps: email and password, then (accounts with two-factor
 * authentication) a code from the authenticator app or a recovery code.
 */
export function LoginForm({
  next,
  email = "",
}: {
  next: string;
  /** Pre-filled: the signed-in account, asked to sign in again. */
  email?: string;
}) {
  const router = useRouter();
  const [step, setStep] = useState<"password" | "code">("password");
  const [formError, setFormError] = useState<string | null>(null);

  const finish = () => {
    // The OpenID provider's pages are not the portal's: the browser itself must go there.
    if (next.startsWith("/oidc/")) return window.location.assign(next);
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
      email={email}
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
  email,
  formError,
  setFormError,
  onSignedIn,
  onCodeNeeded,
}: {
  email: string;
  formError: string | null;
  setFormError: (message: string | null) => void;
  onSignedIn: () => void;
  onCodeNeeded: () => void;
}) {
  const t = useTranslations("auth.login");
  const form = useForm<Values>({
    resolver: useLocalizedResolver(loginInput),
    defaultValues: { email, password: "" },
  });
  const { errors, isSubmitting } = form.formState;

  // NextAuth's credentials sign-in answers with the API's message: the generic one, or the lockout.
  const onSubmit = form.handleSubmit(async (values) => {
    setFormError(null);
    const result = await signIn("credentials", { ...values, redirect: false });
    if (result?.error === MFA_REQUIRED) return onCodeNeeded();
    if (!result || result.error) {
      setFormError(failureOf(result, t("invalid")));
      return;
    }
    onSignedIn();
  });

  return (
    <form onSubmit={onSubmit} noValidate>
      <FormAlert message={formError} />
      <Field
        id="email"
        label={t("identifier")}
        autoComplete="username"
        autoCapitalize="none"
        spellCheck={false}
        registration={form.register("email")}
        error={errors.email}
      />
      <Field
        id="password"
        label={t("password")}
        type="password"
        autoComplete="current-password"
        registration={form.register("password")}
        error={errors.password}
      />
      <button type="submit" disabled={isSubmitting}>
        {isSubmitting ? t("submitting") : t("submit")}
      </button>{" "}
      <PasskeySignIn onSignedIn={onSignedIn} setFormError={setFormError} />
    </form>
  );
}

/**
 * Signs in with a passkey (a discoverable credential: no email needed). It proves possession and
 * user verification, so no code is asked for after it.
 */
function PasskeySignIn({
  onSignedIn,
  setFormError,
}: {
  onSignedIn: () => void;
  setFormError: (message: string | null) => void;
}) {
  const t = useTranslations("auth.login");
  const serverMessage = useServerMessage();
  const trpc = useTRPC();
  const options = useMutation(trpc.passkeys.authenticationOptions.mutationOptions());
  const [supported, setSupported] = useState(false);
  const [pending, setPending] = useState(false);
  // Known only in the browser: the button appears once the page is hydrated.
  useEffect(() => setSupported(browserSupportsWebAuthn()), []);
  if (!supported) return null;

  const run = async () => {
    setFormError(null);
    setPending(true);
    try {
      const response = await startAuthentication({ optionsJSON: await options.mutateAsync() });
      const result = await signIn("credentials", { passkey: JSON.stringify(response), redirect: false });
      if (!result || result.error) {
        setFormError(failureOf(result, t("passkeyFailed")));
        return;
      }
      onSignedIn();
    } catch (error) {
      setFormError(
        error instanceof Error && error.name === "NotAllowedError" ? t("passkeyCancelled") : serverMessage(error),
      );
    } finally {
      setPending(false);
    }
  };
  return (
    <button type="button" className="secondary" onClick={run} disabled={pending}>
      {pending ? t("passkeyWaiting") : t("passkey")}
    </button>
  );
}

function CodeStep({
  onSignedIn,
  onStartOver,
}: {
  onSignedIn: () => void;
  onStartOver: (message: string | null) => void;
}) {
  const t = useTranslations("auth.code");
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<z.input<ReturnType<typeof codeInput>>>({
    resolver: useLocalizedResolver(codeInput(t("required"), t("tooLong"))),
    defaultValues: { code: "" },
  });
  const { errors, isSubmitting } = form.formState;

  const onSubmit = form.handleSubmit(async ({ code }) => {
    setFormError(null);
    const result = await signIn("credentials", { code: code.trim(), redirect: false });
    if (!result || result.error) {
      setFormError(failureOf(result, t("invalid")));
      form.setValue("code", "");
      form.setFocus("code");
      return;
    }
    onSignedIn();
  });

  return (
    <form onSubmit={onSubmit} noValidate aria-labelledby="code-step-title">
      <h2 id="code-step-title">{t("title")}</h2>
      <FormAlert message={formError} />
      <Field
        id="code"
        label={t("label")}
        autoComplete="one-time-code"
        autoFocus
        spellCheck={false}
        hint={t("hint")}
        registration={form.register("code")}
        error={errors.code}
      />
      <button type="submit" disabled={isSubmitting}>
        {isSubmitting ? t("submitting") : t("submit")}
      </button>{" "}
      <button type="button" className="secondary" onClick={() => onStartOver(null)}>
        {t("startOver")}
      </button>
    </form>
  );
}
