"use client";

import { useMutation } from "@tanstack/react-query";
import { signOut } from "next-auth/react";
import { useRouter } from "next/navigation";
import type { RouterOutputs } from "@mastoc/api";
import { FormAlert } from "@/components/field";
import { TableScroll } from "@/components/listing";
import { useServerAction } from "@/lib/forms";
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
        <table>
          <caption className="muted">Where your account is signed in</caption>
          <thead>
            <tr>
              <th scope="col">Client</th>
              <th scope="col">IP</th>
              <th scope="col">Signed in</th>
              <th scope="col">Last used</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {sessions.map((session) => {
              const client = session.kind === "web" ? "Browser" : "CLI / API";
              return (
                <tr key={session.id}>
                  <td>
                    {client} {session.userAgent ? `— ${session.userAgent.slice(0, 60)}` : ""}
                    {session.current && <span className="badge"> this session</span>}
                  </td>
                  <td>{session.ip ?? "—"}</td>
                  <td className="when">{formatDateTime(session.createdAt)}</td>
                  <td className="when">{formatDateTime(session.lastUsedAt)}</td>
                  <td>
                    {!session.current && (
                      <button
                        type="button"
                        className="secondary"
                        aria-label={`Revoke the ${client} session signed in ${formatDateTime(session.createdAt)}`}
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
