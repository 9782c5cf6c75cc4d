"use client";

import { useMutation } from "@tanstack/react-query";
import type { RouterOutputs } from "@mastoc/api";
import { describeClient } from "@mastoc/api/readable";
import { FormAlert } from "@/components/field";
import { EmptyState, TableScroll } from "@/components/listing";
import { ClientName, When } from "@/components/when";
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
      <TableScroll label="Their sessions">
        <table className="cards">
          <caption className="muted">Where this account is signed in</caption>
          <thead>
            <tr>
              <th scope="col">Client</th>
              <th scope="col">Address</th>
              <th scope="col">Signed in</th>
              <th scope="col">Last used</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {sessions.map((session) => (
              <tr key={session.id}>
                <td data-label="Client">
                  <ClientName userAgent={session.userAgent} />{" "}
                  <span className="muted">{session.kind === "web" ? "(browser)" : "(app or CLI)"}</span>
                </td>
                <td data-label="Address">{session.ip ?? "—"}</td>
                <td data-label="Signed in">
                  <When value={session.createdAt} />
                </td>
                <td data-label="Last used">
                  <When value={session.lastUsedAt} />
                </td>
                <td className="actions">
                  {canRevoke && (
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
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </>
  );
}
