import Link from "next/link";
import { serverCaller } from "@/server/caller";
import { requireUser } from "@/server/guard";

export const metadata = { title: "Audit log · mastoc accounts" };

type Search = {
  action?: string;
  actor?: string;
  targetType?: string;
  targetId?: string;
  from?: string;
  to?: string;
  cursor?: string;
};

export default async function AuditPage({ searchParams }: { searchParams: Promise<Search> }) {
  const viewer = await requireUser("/admin/audit", "audit.readClimbs");
  const params = await searchParams;
  const everything = viewer.permissions["audit.readAll"];
  const date = (value?: string) => (value && !Number.isNaN(Date.parse(value)) ? new Date(value) : undefined);
  const result = await (
    await serverCaller()
  ).audit.list({
    action: params.action || undefined,
    actorId: params.actor || undefined,
    targetType: everything ? params.targetType || undefined : "climb",
    targetId: params.targetId || undefined,
    from: date(params.from),
    to: date(params.to),
    cursor: params.cursor || undefined,
    limit: 50,
  });
  const { cursor: _cursor, ...filters } = params;
  return (
    <div className="card">
      <h1>Audit log</h1>
      {!everything && <p className="muted">As a moderator you see the entries about climbs.</p>}
      <form className="filters" method="get" role="search" aria-label="Filter the audit log">
        <div className="field">
          <label htmlFor="audit-action">Action starts with</label>
          <input id="audit-action" name="action" defaultValue={params.action ?? ""} placeholder="auth.login" />
        </div>
        <div className="field">
          <label htmlFor="audit-actor">Actor ID</label>
          <input id="audit-actor" name="actor" defaultValue={params.actor ?? ""} />
        </div>
        {everything && (
          <div className="field">
            <label htmlFor="audit-target-type">Target type</label>
            <select id="audit-target-type" name="targetType" defaultValue={params.targetType ?? ""}>
              <option value="">Any</option>
              <option value="user">user</option>
              <option value="climb">climb</option>
              <option value="session">session</option>
              <option value="apiKey">apiKey</option>
            </select>
          </div>
        )}
        <div className="field">
          <label htmlFor="audit-target-id">Target ID</label>
          <input id="audit-target-id" name="targetId" defaultValue={params.targetId ?? ""} />
        </div>
        <div className="field">
          <label htmlFor="audit-from">From</label>
          <input id="audit-from" name="from" type="date" defaultValue={params.from ?? ""} />
        </div>
        <div className="field">
          <label htmlFor="audit-to">To</label>
          <input id="audit-to" name="to" type="date" defaultValue={params.to ?? ""} />
        </div>
        <button type="submit" className="secondary">
          Filter
        </button>
      </form>
      <table>
        <caption className="muted">Newest first</caption>
        <thead>
          <tr>
            <th scope="col">Time (UTC)</th>
            <th scope="col">Action</th>
            <th scope="col">Actor</th>
            <th scope="col">Target</th>
            <th scope="col">IP</th>
            <th scope="col">Changes</th>
          </tr>
        </thead>
        <tbody>
          {result.items.map((entry) => (
            <tr key={entry.id}>
              <td>{entry.createdAt.toISOString().replace("T", " ").slice(0, 19)}</td>
              <td>
                <code>{entry.action}</code>
              </td>
              <td>{entry.actorEmail ?? entry.actorId ?? "—"}</td>
              <td>
                {entry.targetType ?? "—"}
                {entry.targetId && <div className="muted">{entry.targetId}</div>}
              </td>
              <td>{entry.ip ?? "—"}</td>
              <td>
                <code>{entry.changes ? JSON.stringify(entry.changes) : ""}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
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
