import Link from "next/link";
import { AuditEntries } from "@/components/audit-entries";
import { EmptyState, FilterInput, FilterSelect } from "@/components/listing";
import { resolveActor, userNames } from "@/lib/user-names";
import { serverCaller } from "@/identity/caller";
import { requireUser } from "@/identity/require-user";

export const metadata = { title: "Audit log · mastoc accounts" };

type Search = {
  action?: string;
  actor?: string;
  targetType?: string;
  targetId?: string;
  ip?: string;
  from?: string;
  to?: string;
  cursor?: string;
};

export default async function AuditPage({ searchParams }: { searchParams: Promise<Search> }) {
  const viewer = await requireUser("/admin/audit", "audit.readClimbs");
  const params = await searchParams;
  const everything = viewer.permissions["audit.readAll"];
  const caller = await serverCaller();
  // The actor filter takes an email or a username (or, as before, an account id).
  const actor = params.actor?.trim() ? await resolveActor(caller, params.actor) : null;
  const date = (value?: string) => (value && !Number.isNaN(Date.parse(value)) ? new Date(value) : undefined);
  // The filters of the list and of the export links alike.
  const query = {
    action: params.action || undefined,
    actorId: actor?.id ?? (params.actor?.trim() || undefined),
    targetType: everything ? params.targetType || undefined : "climb",
    targetId: params.targetId || undefined,
    ip: params.ip || undefined,
    from: date(params.from),
    // A date filter's "to" includes that whole day.
    to: date(params.to) && new Date(date(params.to)!.getTime() + 24 * 3600 * 1000 - 1),
  };
  const result = await caller.audit.list({ ...query, cursor: params.cursor || undefined, limit: 50 });
  const exportLink = (format: "csv" | "ndjson") =>
    `/admin/audit/export?${new URLSearchParams({
      format,
      ...Object.fromEntries(
        Object.entries(query)
          .filter(([, value]) => value !== undefined)
          .map(([key, value]) => [key, value instanceof Date ? value.toISOString() : String(value)]),
      ),
    })}`;
  const { cursor: _cursor, ...filters } = params;
  const filtered = Object.values(filters).some(Boolean);
  return (
    <div className="card wide">
      <h1>Audit log</h1>
      {!everything && <p className="muted">As a moderator you see the entries about climbs.</p>}
      <form className="filters" method="get" role="search" aria-label="Filter the audit log">
        <FilterInput
          id="audit-action"
          name="action"
          label="Action starts with"
          value={params.action}
          placeholder="auth.login"
        />
        <FilterInput
          id="audit-actor"
          name="actor"
          label="Actor (email or username)"
          value={params.actor}
          placeholder="ada@example.com"
        />
        {everything && (
          <FilterSelect id="audit-target-type" name="targetType" label="Target type" value={params.targetType}>
            <option value="">Any</option>
            <option value="user">user</option>
            <option value="climb">climb</option>
            <option value="session">session</option>
            <option value="apiKey">apiKey</option>
          </FilterSelect>
        )}
        <FilterInput id="audit-target-id" name="targetId" label="Target ID" value={params.targetId} />
        <FilterInput id="audit-ip" name="ip" label="IP address" value={params.ip} />
        <FilterInput id="audit-from" name="from" label="From" type="date" value={params.from} />
        <FilterInput id="audit-to" name="to" label="To" type="date" value={params.to} />
        <button type="submit" className="secondary">
          Filter
        </button>
      </form>
      <p className="links export-links">
        <span>Export every matching entry:</span>
        <a href={exportLink("csv")} download>
          Export CSV
        </a>
        <a href={exportLink("ndjson")} download>
          Export NDJSON
        </a>
      </p>
      {result.items.length > 0 ? (
        <AuditEntries
          entries={result.items}
          label="Audit log entries"
          caption={actor ? `Newest first, by ${actor.label}` : "Newest first"}
          names={
            viewer.permissions["users.read"]
              ? await userNames(
                  caller,
                  result.items.flatMap((entry) =>
                    entry.targetType === "user" && entry.targetId ? [entry.targetId] : [],
                  ),
                )
              : undefined
          }
        />
      ) : (
        <EmptyState title={filtered ? "No entries match these filters." : "Nothing has been recorded yet."}>
          {filtered ? (
            <>
              <Link href="/admin/audit">Clear the filters</Link> to see the newest entries, or widen the dates.
            </>
          ) : everything ? (
            "Sign-ins, account changes and climb changes are recorded here as they happen."
          ) : (
            "Every climb created, changed or deleted from now on is recorded here."
          )}
        </EmptyState>
      )}
      {result.nextCursor && (
        <nav className="pagination" aria-label="Pages">
          <Link href={`/admin/audit?${new URLSearchParams({ ...filters, cursor: result.nextCursor })}`}>
            Older entries
          </Link>
        </nav>
      )}
    </div>
  );
}
