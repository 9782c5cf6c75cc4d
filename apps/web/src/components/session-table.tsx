"use client";

import { useTranslations } from "next-intl";
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
  const t = useTranslations("settings.sessions");
  const ui = useTranslations("layout.ui");
  return (
    <TableScroll label={label}>
      <table className="cards">
        <caption className="muted">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t("client")}</th>
            <th scope="col">{t("address")}</th>
            <th scope="col">{t("signedIn")}</th>
            <th scope="col">{t("lastUsed")}</th>
            <th scope="col">
              <span className="visually-hidden">{ui("actions")}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {sessions.map((session) => (
            <tr key={session.id}>
              <td data-label={t("client")}>
                <ClientName userAgent={session.userAgent} />{" "}
                <span className="muted">
                  {session.kind === "web"
                    ? t("browser")
                    : session.kind === "oidc"
                      ? session.clientId
                        ? t("oidcTo", { client: session.clientId })
                        : t("oidc")
                      : t("app")}
                </span>
                {session.current && <span className="badge">{t("current")}</span>}
              </td>
              <td data-label={t("address")}>{session.ip ?? ui("none")}</td>
              <td data-label={t("signedIn")}>
                <When value={session.createdAt} />
              </td>
              <td data-label={t("lastUsed")}>
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
