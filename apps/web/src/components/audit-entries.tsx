import { useTranslations } from "next-intl";
import Link from "next/link";
import type { RouterOutputs } from "@mastoc/api";
import { TableScroll } from "@/components/listing";
import { ClientName, When } from "@/components/when";
import { useAuditAction } from "@/lib/audit-actions";

type Entry = RouterOutputs["audit"]["list"]["items"][number];

/** "lockedUntil" → "locked until", "sessionsRevoked" → "sessions revoked". */
const words = (key: string) =>
  key
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .replaceAll("_", " ")
    .toLowerCase();

const valueText = (value: unknown, none: string): string =>
  value === null || value === undefined
    ? none
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
  const t = useTranslations("admin.audit");
  const text = (value: unknown) => valueText(value, t("none"));
  if (changes === null || changes === undefined) return <span className="muted">—</span>;
  if (typeof changes !== "object" || Array.isArray(changes)) return <code className="changes">{text(changes)}</code>;
  const fields = Object.entries(changes as Record<string, unknown>);
  if (fields.length === 0) return <span className="muted">—</span>;
  const record = changes as Record<string, unknown>;
  if (fields.length === 2 && "from" in record && "to" in record) {
    return (
      <span>
        <del>{text(record.from)}</del> → <ins>{text(record.to)}</ins>
      </span>
    );
  }
  const list = (
    <dl className="diff">
      {fields.map(([key, value]) => (
        <div key={key}>
          <dt>{words(key)}</dt>
          <dd>{text(value)}</dd>
        </div>
      ))}
    </dl>
  );
  const short = fields.length === 1 && text(fields[0]![1]).length <= 60;
  if (short) return list;
  return (
    <details className="diff">
      <summary>
        {t("changeCount", { count: fields.length, fields: fields.map(([key]) => words(key)).join(", ") })}
      </summary>
      {list}
    </details>
  );
}

/** Who acted: a linked account, or (no actor) the address the request came from. */
function Actor({ entry }: { entry: Entry }) {
  const t = useTranslations("admin.audit");
  if (entry.actorId) {
    return (
      <Link href={`/admin/users/${encodeURIComponent(entry.actorId)}`}>{entry.actorEmail ?? t("deletedAccount")}</Link>
    );
  }
  if (entry.actorEmail) return <span>{entry.actorEmail}</span>;
  return <span className="muted">{entry.ip ? t("unknownFrom", { ip: entry.ip }) : t("nobody")}</span>;
}

/** What it was done to: a user linked to their page, a climb to the list, or the kind and id. */
function Target({ entry, names }: { entry: Entry; names: Map<string, string> }) {
  const t = useTranslations("admin.audit");
  if (!entry.targetType) return <span className="muted">—</span>;
  if (entry.targetType === "user" && entry.targetId) {
    return (
      <Link href={`/admin/users/${encodeURIComponent(entry.targetId)}`}>
        {names.get(entry.targetId) ?? t("account")} <span className="visually-hidden">{t("userHint")}</span>
      </Link>
    );
  }
  if (entry.targetType === "climb" && entry.targetId) {
    const name = (entry.changes as { name?: unknown } | null)?.name;
    return typeof name === "string" ? (
      <span>{t("climbNamed", { name })}</span>
    ) : (
      <span>
        {t("climb")} <code>{entry.targetId}</code>
      </span>
    );
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
  const t = useTranslations("admin.audit");
  const ui = useTranslations("layout.ui");
  const describeAction = useAuditAction();
  return (
    <TableScroll label={label}>
      <table className="cards audit">
        <caption className="muted">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t("when")}</th>
            <th scope="col">{t("actionColumn")}</th>
            <th scope="col">{t("actorColumn")}</th>
            <th scope="col">{t("target")}</th>
            <th scope="col">{t("origin")}</th>
            <th scope="col">{t("changes")}</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => (
            <tr key={entry.id} data-action={entry.action}>
              <td data-label={t("when")}>
                <When value={entry.createdAt} />
              </td>
              <td data-label={t("actionColumn")}>
                <span title={entry.action}>{describeAction(entry.action)}</span>
              </td>
              <td data-label={t("actorColumn")}>
                <Actor entry={entry} />
              </td>
              <td data-label={t("target")}>
                <Target entry={entry} names={names} />
              </td>
              <td data-label={t("origin")}>
                {entry.ip ?? ui("none")}
                {entry.userAgent && (
                  <div className="muted">
                    <ClientName userAgent={entry.userAgent} />
                  </div>
                )}
              </td>
              <td data-label={t("changes")}>
                <Changes changes={entry.changes} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
