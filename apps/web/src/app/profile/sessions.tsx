"use client";

import { useMutation } from "@tanstack/react-query";
import { signOut } from "next-auth/react";
import { useRouter } from "next/navigation";
import type { RouterOutputs } from "@mastoc/api";
import { FormAlert } from "@/components/field";
import { SessionTable } from "@/components/session-table";
import { useServerAction } from "@/lib/forms";
import { describeClient } from "@mastoc/api/readable";
import { formatDateTime } from "@/lib/format";
import { useTRPC } from "@/lib/trpc";

export function Sessions({ sessions }: { sessions: RouterOutputs["auth"]["sessions"] }) {
  const trpc = useTRPC();
  const router = useRouter();
  const revoke = useMutation(trpc.auth.revokeSession.mutationOptions());
  const revokeAll = useMutation(trpc.auth.logoutAll.mutationOptions());
  const { error, status, pending, run } = useServerAction();
  return (
    <>
      <FormAlert message={error} />
      <FormAlert message={status} tone="ok" />
      <SessionTable
        sessions={sessions}
        label="Session list"
        caption="Where your account is signed in"
        action={(session) =>
          !session.current && (
            <button
              type="button"
              className="secondary"
              aria-label={`Revoke the ${describeClient(session.userAgent)} session signed in ${formatDateTime(session.createdAt)} UTC`}
              disabled={pending}
              onClick={() =>
                run(async () => {
                  // The list is refreshed either way: a failure often means it was out of date.
                  try {
                    await revoke.mutateAsync({ id: session.id });
                  } finally {
                    router.refresh();
                  }
                  return "Session revoked: that client is signed out.";
                })
              }
            >
              Revoke
            </button>
          )
        }
      />
      <p>
        <button
          type="button"
          className="danger"
          disabled={pending}
          onClick={() =>
            run(async () => {
              await revokeAll.mutateAsync();
              await signOut({ callbackUrl: "/login" });
            })
          }
        >
          Sign out everywhere
        </button>
      </p>
    </>
  );
}
