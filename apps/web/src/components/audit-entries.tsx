import Link from "next/link";
import type { RouterOutputs } from "@mastoc/api";
import { describeAuditAction } from "@mastoc/api/readable";
import { TableScroll } from "@/components/listing";
import { ClientName, When } from "@/components/when";

type Entry = RouterOutputs["audit"]["list"]["items"][number];

/** "lockedUntil" → "locked until", "sessionsRevoked" → "sessions revoked". */
const words = (key: string) =>
  key
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .replaceAll("_", " ")
    .toLowerCase();

const valueText = (value: unknown): string =>
  value === null || value === undefined
    ? "none"
    : typeof value === "string"
      ? value
      : typeof value === "number" || typeof value === "boolean"
        ? String(value)
        : JSON.stringify(value);

/**
 * What an entry changed, readable: "USER → MODERATOR" for a from/to pair, else one line per field,
 * folded behind a summary naming the fields when there are several or a value is long.
 */
export function Changes({ changes }: { changes: unknown }) {
  if (changes === null || changes === undefined) return <span className="muted">—</span>;
  if (typeof changes !== "object" || Array.isArray(changes))
    return <code className="changes">{valueText(changes)}</code>;
  const fields = Object.entries(changes as Record<string, unknown>);
  if (fields.length === 0) return <span className="muted">—</span>;
  const record = changes as Record<string, unknown>;
  if (fields.length === 2 && "from" in record && "to" in record) {
    return (
      <span>
        <del>{valueText(record.from)}</del> → <ins>{valueText(record.to)}</ins>
      </span>
    );
  }
  const list = (
    <dl className="diff">
      {fields.map(([key, value]) => (
        <div key={key}>
          <dt>{words(key)}</dt>
          <dd>{valueText(value)}</dd>
        </div>
      ))}
    </dl>
  );
  const short = fields.length === 1 && valueText(fields[0]![1]).length <= 60;
  if (short) return list;
  return (
    <details className="diff">
      <summary>
        {fields.length === 1 ? "1 change" : `${fields.length} changes`}: {fields.map(([key]) => words(key)).join(", ")}
      </summary>
      {list}
    </details>
  );
}

/** Who acted: a linked account, or (no actor) the address the request came from. */
function Actor({ entry }: { entry: Entry }) {
  if (entry.actorId) {
    return (
      <Link href={`/admin/users/${encodeURIComponent(entry.actorId)}`}>{entry.actorEmail ?? "A deleted account"}</Link>
    );
  }
  if (entry.actorEmail) return <span>{entry.actorEmail}</span>;
  return <span className="muted">{entry.ip ? `Unknown, from ${entry.ip}` : "Nobody signed in"}</span>;
}

/** What it was done to: a user linked to their page, a climb to the list, or the kind and id. */
function Target({ entry, names }: { entry: Entry; names: Map<string, string> }) {
  if (!entry.targetType) return <span className="muted">—</span>;
  if (entry.targetType === "user" && entry.targetId) {
    return (
      <Link href={`/admin/users/${encodeURIComponent(entry.targetId)}`}>
        {names.get(entry.targetId) ?? "Account"} <span className="visually-hidden">(user)</span>
      </Link>
    );
  }
  if (entry.targetType === "climb" && entry.targetId) {
    const name = (entry.changes as { name?: unknown } | null)?.name;
    return <span>Climb {typeof name === "string" ? `“${name}”` : <code>{entry.targetId}</code>}</span>;
  }
  return (
    <span>
      {words(entry.targetType)} {entry.targetId && <code className="muted">{entry.targetId}</code>}
    </span>
  );
}

/**
 * Audit entries as a table (cards on a phone): the action in words (its code on hover), the actor
 * and the target linked to their pages, the client in words, the changes as a readable diff.
 * `names` maps user ids to what to call them (email or name) where the page knows it.
 */
export function AuditEntries({
  entries,
  label,
  caption,
  names = new Map(),
}: {
  entries: Entry[];
  label: string;
  caption: string;
  names?: Map<string, string>;
}) {
  return (
    <TableScroll label={label}>
      <table className="cards audit">
        <caption className="muted">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Action</th>
            <th scope="col">Actor</th>
            <th scope="col">Target</th>
            <th scope="col">From</th>
            <th scope="col">Changes</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => (
            <tr key={entry.id} data-action={entry.action}>
              <td data-label="When">
                <When value={entry.createdAt} />
              </td>
              <td data-label="Action">
                <span title={entry.action}>{describeAuditAction(entry.action)}</span>
              </td>
              <td data-label="Actor">
                <Actor entry={entry} />
              </td>
              <td data-label="Target">
                <Target entry={entry} names={names} />
              </td>
              <td data-label="From">
                {entry.ip ?? "—"}
                {entry.userAgent && (
                  <div className="muted">
                    <ClientName userAgent={entry.userAgent} />
                  </div>
                )}
              </td>
              <td data-label="Changes">
                <Changes changes={entry.changes} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
