import Link from "next/link";
import { canManageClimb } from "@mastoc/api/permissions";
import { EmptyState, FilterInput, Pagination, PastTheEnd, TableScroll } from "@/components/listing";
import { serverCaller } from "@/identity/caller";
import { requireUser } from "@/identity/require-user";
import { ClimbActions, CreateClimb } from "./climb-forms";
import { formatDateTime, plural } from "@/lib/format";

export const metadata = { title: "Climbs · mastoc accounts" };

type Search = { query?: string; grade?: string; mine?: string; page?: string };

export default async function ClimbsPage({ searchParams }: { searchParams: Promise<Search> }) {
  const user = await requireUser("/climbs");
  const params = await searchParams;
  const page = Math.max(1, Number.parseInt(params.page ?? "1", 10) || 1);
  const result = await (
    await serverCaller()
  ).climbs.list({
    query: params.query || undefined,
    grade: params.grade || undefined,
    creatorId: params.mine ? user.id : undefined,
    page,
    pageSize: 20,
  });
  const link = (target: number) => `/climbs?${new URLSearchParams({ ...params, page: String(target) })}`;
  const filtered = Boolean(params.query || params.grade || params.mine);
  const canCreate = user.permissions["climbs.create"];
  return (
    <>
      <div className="card">
        <h1>Climbs</h1>
        <form className="filters" method="get" role="search" aria-label="Filter climbs">
          <FilterInput id="filter-query" name="query" label="Search" value={params.query} />
          <FilterInput id="filter-grade" name="grade" label="Grade" value={params.grade} size={6} />
          <div className="field">
            <label htmlFor="filter-mine">
              <input id="filter-mine" type="checkbox" name="mine" value="1" defaultChecked={Boolean(params.mine)} />{" "}
              Only mine
            </label>
          </div>
          <button type="submit" className="secondary">
            Filter
          </button>
        </form>
        {result.items.length > 0 ? (
          <>
            <TableScroll label="Climb list">
              <table>
                <caption className="muted">{plural(result.total, "climb")}</caption>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Grade</th>
                    <th scope="col">Created by</th>
                    <th scope="col">Last changed by</th>
                    <th scope="col">Actions</th>
                  </tr>
                </thead>
                <tbody>
                  {result.items.map((climb) => (
                    <tr key={climb.id}>
                      <td>
                        <strong>{climb.name}</strong>
                        {climb.description && <div className="muted multiline">{climb.description}</div>}
                      </td>
                      <td>{climb.grade}</td>
                      <td>
                        {climb.createdBy?.name ?? climb.createdBy?.username ?? <em>deleted user</em>}
                        <div className="muted">{formatDateTime(climb.createdAt)}</div>
                      </td>
                      <td>
                        {climb.updatedBy?.name ?? climb.updatedBy?.username ?? <em>deleted user</em>}
                        <div className="muted">{formatDateTime(climb.updatedAt)}</div>
                      </td>
                      <td>
                        {canManageClimb({ id: user.id, role: user.role }, climb.createdById) ? (
                          <ClimbActions
                            climb={{
                              id: climb.id,
                              name: climb.name,
                              grade: climb.grade,
                              description: climb.description,
                            }}
                          />
                        ) : (
                          <span className="muted">—</span>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
            <Pagination page={result.page} pageCount={result.pageCount} href={link} />
          </>
        ) : result.total > 0 ? (
          <PastTheEnd page={result.page} total={result.total} noun="climb" firstPage={link(1)} />
        ) : filtered ? (
          <EmptyState title="No climbs match these filters.">
            <Link href="/climbs">Clear the filters</Link> to see every climb
            {canCreate && (
              <>
                , or <a href="#new-climb">add the climb you were looking for</a>
              </>
            )}
            .
          </EmptyState>
        ) : (
          <EmptyState title="No climbs yet.">
            {canCreate ? (
              <>
                <a href="#new-climb">Create the first one</a> with the form below.
              </>
            ) : (
              "Climbs appear here as soon as someone creates one."
            )}
          </EmptyState>
        )}
      </div>
      {canCreate && (
        <section className="card" aria-labelledby="new-climb">
          <h2 id="new-climb">New climb</h2>
          <CreateClimb />
        </section>
      )}
    </>
  );
}
