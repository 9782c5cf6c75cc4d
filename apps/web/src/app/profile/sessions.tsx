"use client";

import { useMutation } from "@tanstack/react-query";
import { signOut } from "next-auth/react";
import { useRouter } from "next/navigation";
import type { RouterOutputs } from "@mastoc/api";
import { FormAlert } from "@/components/field";
import { TableScroll } from "@/components/listing";
import { useServerAction } from "@/lib/forms";
import { ClientName, When } from "@/components/when";
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
      <TableScroll label="Session list">
        <table className="cards">
          <caption className="muted">Where your account is signed in</caption>
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
            {sessions.map((session) => {
              const client = describeClient(session.userAgent);
              return (
                <tr key={session.id}>
                  <td data-label="Client">
                    <ClientName userAgent={session.userAgent} />{" "}
                    <span className="muted">{session.kind === "web" ? "(browser)" : "(app or CLI)"}</span>
                    {session.current && <span className="badge">this session</span>}
                  </td>
                  <td data-label="Address">{session.ip ?? "—"}</td>
                  <td data-label="Signed in">
                    <When value={session.createdAt} />
                  </td>
                  <td data-label="Last used">
                    <When value={session.lastUsedAt} />
                  </td>
                  <td className="actions">
                    {!session.current && (
                      <button
                        type="button"
                        className="secondary"
                        aria-label={`Revoke the ${client} session signed in ${formatDateTime(session.createdAt)} UTC`}
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
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </TableScroll>
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
