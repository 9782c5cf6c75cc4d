"use client";

import { useMutation } from "@tanstack/react-query";
import { FormAlert } from "@/components/field";
import { useServerAction } from "@/lib/forms";
import { useTRPC } from "@/lib/trpc";

/** Shown on every page while the signed-in account's address is unverified, with a resend button. */
export function VerifyEmailBanner({ email }: { email: string }) {
  const trpc = useTRPC();
  const resend = useMutation(trpc.auth.requestEmailVerification.mutationOptions());
  const { error, status, pending, run } = useServerAction();
  return (
    <aside className="banner" aria-label="Email verification">
      <p>
        Verify your email address: open the link we sent to <strong>{email}</strong>.
      </p>
      <button
        type="button"
        className="secondary"
        disabled={pending}
        onClick={() =>
          run(async () => {
            const { sentTo } = await resend.mutateAsync();
            return `A new link is on its way to ${sentTo}.`;
          })
        }
      >
        {pending ? "Sending…" : "Send a new link"}
      </button>
      <FormAlert message={error} />
      <FormAlert message={status} tone="ok" />
    </aside>
  );
}
