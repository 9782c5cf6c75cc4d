import type { RouterOutputs } from "@mastoc/api";
import { EmptyState, TableScroll } from "@/components/listing";
import { formatDateTime } from "@/lib/format";

const clients: Record<string, string> = { web: "Browser", token: "App, CLI or script" };

/** The user's last security events: rendered on the server, nothing to act on here. */
export function SecurityActivity({ events }: { events: RouterOutputs["users"]["securityActivity"] }) {
  if (events.length === 0) {
    return <EmptyState title="Nothing recorded yet.">Sign-ins and changes to your security appear here.</EmptyState>;
  }
  return (
    <TableScroll label="Security events">
      <table>
        <caption className="muted">Your last {events.length} security events, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Time (UTC)</th>
            <th scope="col">Event</th>
            <th scope="col">Client</th>
            <th scope="col">IP</th>
          </tr>
        </thead>
        <tbody>
          {events.map((event) => (
            <tr key={event.id} data-action={event.action}>
              <td className="when">{formatDateTime(event.createdAt)}</td>
              <td>
                {event.description}
                {event.method && <span className="muted"> ({event.method})</span>}
              </td>
              <td>
                {event.byAdministrator
                  ? "An administrator"
                  : [event.client && clients[event.client], event.userAgent?.slice(0, 60)]
                      .filter(Boolean)
                      .join(" — ") || "—"}
              </td>
              <td>{event.ip ?? "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
