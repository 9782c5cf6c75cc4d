import type { RouterOutputs } from "@mastoc/api";
import { describeSignInMethod } from "@mastoc/api/readable";
import { EmptyState, TableScroll } from "@/components/listing";
import { ClientName, When } from "@/components/when";

const kinds: Record<string, string> = { web: "browser", token: "app or CLI" };

/** The user's last security events: rendered on the server, nothing to act on here. */
export function SecurityActivity({
  events,
  whose = "Your",
}: {
  events: RouterOutputs["users"]["securityActivity"];
  /** Whose events these are, for the caption: "Your" on one's own settings, a name elsewhere. */
  whose?: string;
}) {
  if (events.length === 0) {
    return <EmptyState title="Nothing recorded yet.">Sign-ins and changes to your security appear here.</EmptyState>;
  }
  return (
    <TableScroll label="Security events">
      <table className="cards">
        <caption className="muted">
          {events.length === 1
            ? `${whose} only security event`
            : `${whose} ${events.length} most recent security events`}
          , newest first
        </caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Event</th>
            <th scope="col">Client</th>
            <th scope="col">Address</th>
          </tr>
        </thead>
        <tbody>
          {events.map((event) => {
            const method = describeSignInMethod(event.method);
            return (
              <tr key={event.id} data-action={event.action}>
                <td data-label="When">
                  <When value={event.createdAt} />
                </td>
                <td data-label="Event">
                  {event.description}
                  {method && <span className="muted"> with {method.toLowerCase()}</span>}
                </td>
                <td data-label="Client">
                  {event.byAdministrator ? (
                    "An administrator"
                  ) : event.userAgent || event.client ? (
                    <>
                      <ClientName userAgent={event.userAgent} />
                      {event.client && kinds[event.client] && <span className="muted"> ({kinds[event.client]})</span>}
                    </>
                  ) : (
                    "—"
                  )}
                </td>
                <td data-label="Address">{event.ip ?? "—"}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </TableScroll>
  );
}
