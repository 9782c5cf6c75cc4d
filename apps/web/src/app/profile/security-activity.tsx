import type { RouterOutputs } from "@mastoc/api";
import { useTranslations } from "next-intl";
import { EmptyState, TableScroll } from "@/components/listing";
import { ClientName, When } from "@/components/when";
import { useAuditAction } from "@/lib/audit-actions";

const methods = {
  password: "password",
  passkey: "passkey",
  "password+totp": "totp",
  "password+recovery": "recovery",
} as const;

/** The user's last security events: rendered on the server, nothing to act on here. */
export function SecurityActivity({
  events,
  name,
}: {
  events: RouterOutputs["users"]["securityActivity"];
  /** Whose events these are, for the caption: the reader's own without a name. */
  name?: string;
}) {
  const t = useTranslations("settings.activity");
  const ui = useTranslations("layout.ui");
  const describeAction = useAuditAction();
  if (events.length === 0) {
    return <EmptyState title={t("emptyTitle")}>{t("emptyText")}</EmptyState>;
  }
  const methodOf = (method: string | null) =>
    method && method in methods ? t(`methods.${methods[method as keyof typeof methods]}`) : method; // a way of signing in this build has no words for reads as its code
  return (
    <TableScroll label={t("list")}>
      <table className="cards">
        <caption className="muted">
          {name ? t("captionOf", { count: events.length, name }) : t("captionYours", { count: events.length })}
        </caption>
        <thead>
          <tr>
            <th scope="col">{t("when")}</th>
            <th scope="col">{t("event")}</th>
            <th scope="col">{t("client")}</th>
            <th scope="col">{t("address")}</th>
          </tr>
        </thead>
        <tbody>
          {events.map((event) => {
            const method = methodOf(event.method);
            const kind =
              event.client === "web" || event.client === "token" || event.client === "oidc"
                ? t(`kinds.${event.client}`)
                : null;
            return (
              <tr key={event.id} data-action={event.action}>
                <td data-label={t("when")}>
                  <When value={event.createdAt} />
                </td>
                <td data-label={t("event")}>
                  {describeAction(event.action, event.description)}
                  {method && <span className="muted"> {t("with", { method })}</span>}
                </td>
                <td data-label={t("client")}>
                  {event.byAdministrator ? (
                    t("administrator")
                  ) : event.userAgent || event.client ? (
                    <>
                      <ClientName userAgent={event.userAgent} />
                      {kind && <span className="muted"> ({kind})</span>}
                    </>
                  ) : (
                    ui("none")
                  )}
                </td>
                <td data-label={t("address")}>{event.ip ?? ui("none")}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </TableScroll>
  );
}
