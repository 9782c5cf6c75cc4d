"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import { signOut } from "next-auth/react";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { deleteMeInput } from "@mastoc/api/schemas";
import { Dialog } from "@/components/dialog";
import { Field, FormAlert } from "@/components/field";
import { useServerSubmit } from "@/lib/forms";
import { useTRPC } from "@/lib/trpc";

/** An empty code field means "no code": the schema then lets the server say whether one is needed. */
const optional = (value: string) => (value.trim() === "" ? undefined : value);

/**
 * Account deletion: the button opens a dialog asking for the password (and, with two-factor
 * authentication on, a code); once the server has deleted the account, the browser signs out and
 * lands on the farewell page.
 */
export function DeleteAccount({ twoFactor }: { twoFactor: boolean }) {
  const trpc = useTRPC();
  const [open, setOpen] = useState(false);
  const form = useForm({ resolver: zodResolver(deleteMeInput), defaultValues: { password: "", code: undefined } });
  const remove = useMutation(trpc.users.deleteMe.mutationOptions());
  const { formError, onSubmit } = useServerSubmit(form, ["password", "code"], async (values) => {
    await remove.mutateAsync(values);
    await signOut({ callbackUrl: "/goodbye" });
  });
  const { errors, isSubmitting } = form.formState;
  return (
    <>
      <p>
        Deleting your account removes your profile, sessions, API keys, passkeys and avatar. The climbs you added stay,
        shown as added by a deleted user. This cannot be undone.
      </p>
      <p className="muted">
        We send a confirmation to your address afterwards.
        {twoFactor && " As two-factor authentication is on, you also need a code from your authenticator app."}
      </p>
      <button type="button" className="danger" onClick={() => setOpen(true)}>
        Delete my account…
      </button>
      <Dialog
        open={open}
        onClose={() => {
          setOpen(false);
          form.reset();
        }}
        title="Delete your account for good?"
      >
        <form onSubmit={onSubmit} noValidate>
          <p>Confirm with your password{twoFactor ? " and a code" : ""}. Your account is deleted at once.</p>
          <FormAlert message={formError} />
          <Field
            id="delete-password"
            label="Password"
            type="password"
            autoComplete="current-password"
            registration={form.register("password")}
            error={errors.password}
          />
          {twoFactor && (
            <Field
              id="delete-code"
              label="Authenticator code or recovery code"
              autoComplete="one-time-code"
              inputMode="text"
              registration={form.register("code", { setValueAs: optional })}
              error={errors.code}
            />
          )}
          <div className="row">
            <button type="submit" className="danger" disabled={isSubmitting}>
              Delete for good
            </button>
            <button type="button" className="secondary" onClick={() => setOpen(false)}>
              Cancel
            </button>
          </div>
        </form>
      </Dialog>
    </>
  );
}
