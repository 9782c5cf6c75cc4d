"use client";

import { browserSupportsWebAuthn, startAuthentication } from "@simplewebauthn/browser";
import { useMutation } from "@tanstack/react-query";
import { signOut } from "next-auth/react";
import { useTranslations } from "next-intl";
import { useEffect, useState } from "react";
import { useForm } from "react-hook-form";
import type { z } from "zod";
import { deleteMeInput, passkeyAuthenticationResponseSchema } from "@mastoc/api/schemas";
import { Dialog } from "@/components/dialog";
import { Field, FormAlert } from "@/components/field";
import { useLocalizedResolver, useServerMessage, useServerSubmit } from "@/lib/forms";
import { useTRPC } from "@/lib/trpc";

/** An empty code field means "no code": the schema then lets the server say whether one is needed. */
const optional = (value: string) => (value.trim() === "" ? undefined : value);

/**
 * Account deletion: the button opens a dialog asking for the password (and, with two-factor
 * authentication on, a code, or one of the account's passkeys); once the server has deleted the
 * account, the browser signs out and lands on the farewell page.
 */
export function DeleteAccount({ twoFactor, passkeys }: { twoFactor: boolean; passkeys: boolean }) {
  const t = useTranslations("settings.delete");
  const serverMessage = useServerMessage();
  const trpc = useTRPC();
  const [open, setOpen] = useState(false);
  const form = useForm({
    resolver: useLocalizedResolver(deleteMeInput),
    defaultValues: { password: "", code: undefined },
  });
  const remove = useMutation(trpc.users.deleteMe.mutationOptions());
  const confirmation = useMutation(trpc.passkeys.confirmationOptions.mutationOptions());
  const [passkeyError, setPasskeyError] = useState<string | null>(null);
  const [passkeyPending, setPasskeyPending] = useState(false);
  // Known only in the browser: the passkey button appears once the page is hydrated.
  const [webAuthn, setWebAuthn] = useState(false);
  useEffect(() => setWebAuthn(browserSupportsWebAuthn()), []);
  const { formError, onSubmit } = useServerSubmit(form, ["password", "code"], async (values) => {
    await remove.mutateAsync(values);
    await signOut({ callbackUrl: "/goodbye" });
  });
  const { errors, isSubmitting } = form.formState;

  /** The password from the form, then a passkey of the account instead of a code. */
  const withPasskey = async () => {
    setPasskeyError(null);
    if (!(await form.trigger("password"))) return;
    setPasskeyPending(true);
    try {
      // The browser's answer is WebAuthn JSON, as the library defines it and the schema checks it.
      const passkey = (await startAuthentication({
        optionsJSON: await confirmation.mutateAsync(),
      })) as unknown as z.input<typeof passkeyAuthenticationResponseSchema>;
      await remove.mutateAsync({ password: form.getValues("password"), passkey });
      await signOut({ callbackUrl: "/goodbye" });
    } catch (error) {
      setPasskeyError(
        error instanceof Error && error.name === "NotAllowedError" ? t("passkeyCancelled") : serverMessage(error),
      );
    } finally {
      setPasskeyPending(false);
    }
  };
  return (
    <>
      <p>{t("text")}</p>
      <p className="muted">
        {t("mailed")}
        {twoFactor && ` ${passkeys ? t("needCodeOrPasskey") : t("needCode")}`}
      </p>
      <button type="button" className="danger" onClick={() => setOpen(true)}>
        {t("open")}
      </button>
      <Dialog
        open={open}
        onClose={() => {
          setOpen(false);
          setPasskeyError(null);
          form.reset();
        }}
        title={t("title")}
      >
        <form onSubmit={onSubmit} noValidate>
          <p>{t("confirm", { twoFactor: twoFactor ? "yes" : "no" })}</p>
          <FormAlert message={formError ?? passkeyError} />
          <Field
            id="delete-password"
            label={t("password")}
            type="password"
            autoComplete="current-password"
            registration={form.register("password")}
            error={errors.password}
          />
          {twoFactor && (
            <Field
              id="delete-code"
              label={t("code")}
              autoComplete="one-time-code"
              inputMode="text"
              registration={form.register("code", { setValueAs: optional })}
              error={errors.code}
            />
          )}
          <div className="row">
            <button type="submit" className="danger" disabled={isSubmitting || passkeyPending}>
              {t("submit")}
            </button>
            {twoFactor && passkeys && webAuthn && (
              <button type="button" className="danger" onClick={withPasskey} disabled={isSubmitting || passkeyPending}>
                {t("withPasskey")}
              </button>
            )}
            <button type="button" className="secondary" onClick={() => setOpen(false)}>
              {t("cancel")}
            </button>
          </div>
        </form>
      </Dialog>
    </>
  );
}
