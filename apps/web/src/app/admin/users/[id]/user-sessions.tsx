"use client";

import { useMutation } from "@tanstack/react-query";
import type { RouterOutputs } from "@mastoc/api";
import { describeClient } from "@mastoc/api/readable";
import { FormAlert } from "@/components/field";
import { EmptyState } from "@/components/listing";
import { SessionTable } from "@/components/session-table";
import { useRefreshingAction } from "@/lib/forms";
import { useTRPC } from "@/lib/trpc";

/** A user's active sessions, each with a Revoke button for the administrator. */
export function UserSessions({
  userId,
  sessions,
  canRevoke,
}: {
  userId: string;
  sessions: RouterOutputs["admin"]["userSessions"];
  canRevoke: boolean;
}) {
  const trpc = useTRPC();
  const revoke = useMutation(trpc.admin.revokeUserSession.mutationOptions());
  const { error, status, pending, act } = useRefreshingAction();
  if (sessions.length === 0) {
    return <EmptyState title="No active sessions.">This account is signed in nowhere.</EmptyState>;
  }
  return (
    <>
      <FormAlert message={error} />
      <FormAlert message={status} tone="ok" />
      <SessionTable
        sessions={sessions}
        label="Their sessions"
        caption="Where this account is signed in"
        action={(session) =>
          canRevoke && (
            <button
              type="button"
              className="secondary"
              disabled={pending}
              aria-label={`Revoke the ${describeClient(session.userAgent)} session`}
              onClick={() =>
                act(
                  () => revoke.mutateAsync({ userId, sessionId: session.id }),
                  "Session revoked: that client is signed out.",
                )
              }
            >
              Revoke
            </button>
          )
        }
      />
    </>
  );
}
