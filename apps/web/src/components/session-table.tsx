"use client";

import type { ReactNode } from "react";
import type { RouterOutputs } from "@mastoc/api";
import { TableScroll } from "@/components/listing";
import { ClientName, When } from "@/components/when";

type Session = RouterOutputs["auth"]["sessions"][number];

/**
 * Sessions as a table (cards on a phone): the client in words, its address, when it signed in and
 * was last used, and what may be done with each (`action`). Shared by one's own settings and an
 * administrator's page of a user.
 */
export function SessionTable({
  sessions,
  label,
  caption,
  action,
}: {
  sessions: readonly Session[];
  label: string;
  caption: string;
  action: (session: Session) => ReactNode;
}) {
  return (
    <TableScroll label={label}>
      <table className="cards">
        <caption className="muted">{caption}</caption>
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
                {session.current && <span className="badge">this session</span>}
              </td>
              <td data-label="Address">{session.ip ?? "—"}</td>
              <td data-label="Signed in">
                <When value={session.createdAt} />
              </td>
              <td data-label="Last used">
                <When value={session.lastUsedAt} />
              </td>
              <td className="actions">{action(session)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
