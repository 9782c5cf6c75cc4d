import Link from "next/link";
import { gradeRange } from "@mastoc/api/grades";
import { canManageClimb } from "@mastoc/api/permissions";
import { EmptyState, FilterInput, Pagination, PastTheEnd, TableScroll } from "@/components/listing";
import { serverCaller } from "@/identity/caller";
import { requireUser } from "@/identity/require-user";
import { ClimbActions, CreateClimb } from "./climb-forms";
import { When } from "@/components/when";
import { plural } from "@/lib/format";

export const metadata = { title: "Climbs · mastoc accounts" };

type Search = { query?: string; grade?: string; gradeFrom?: string; gradeTo?: string; mine?: string; page?: string };

export default async function ClimbsPage({ searchParams }: { searchParams: Promise<Search> }) {
  const user = await requireUser("/climbs");
  const params = await searchParams;
  const page = Math.max(1, Number.parseInt(params.page ?? "1", 10) || 1);
  // A range the API would refuse is explained next to the filters instead, and not applied.
  const gradeFrom = params.gradeFrom?.trim() || undefined;
  const gradeTo = params.gradeTo?.trim() || undefined;
  const range = gradeFrom || gradeTo ? gradeRange(gradeFrom, gradeTo) : null;
  const rangeError = range && "error" in range ? range.error : null;
  const result = await (
    await serverCaller()
  ).climbs.list({
    query: params.query || undefined,
    grade: params.grade || undefined,
    ...(range && !rangeError ? { gradeFrom, gradeTo } : {}),
    creatorId: params.mine ? user.id : undefined,
    page,
    pageSize: 20,
  });
  const link = (target: number) => `/climbs?${new URLSearchParams({ ...params, page: String(target) })}`;
  const filtered = Boolean(params.query || params.grade || gradeFrom || gradeTo || params.mine);
  const canCreate = user.permissions["climbs.create"];
  return (
    <>
      <h1>Climbs</h1>
      {canCreate && (
        <section className="card" aria-labelledby="new-climb">
          <h2 id="new-climb">New climb</h2>
          <CreateClimb />
        </section>
      )}
      <div className="card">
        <h2 className="visually-hidden">Climb list</h2>
        <form className="filters" method="get" role="search" aria-label="Filter climbs">
          <FilterInput id="filter-query" name="query" label="Search" value={params.query} />
          <FilterInput
            id="filter-grade-from"
            name="gradeFrom"
            label="Grade from"
            value={gradeFrom}
            placeholder="6A"
            size={6}
          />
          <FilterInput
            id="filter-grade-to"
            name="gradeTo"
            label="Grade to"
            value={gradeTo}
            placeholder="7A+"
            size={6}
          />
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
        {rangeError && (
          <p className="alert error" role="alert">
            Grade range: {rangeError}.
          </p>
        )}
        {result.items.length > 0 ? (
          <>
            <TableScroll label="Climb list">
              <table className="cards">
                <caption className="muted">{plural(result.total, "climb")}</caption>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Grade</th>
                    <th scope="col">Created by</th>
                    <th scope="col">Last changed by</th>
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {result.items.map((climb) => (
                    <tr key={climb.id}>
                      <td data-label="Name">
                        <strong>{climb.name}</strong>
                        {climb.description && <div className="muted multiline">{climb.description}</div>}
                      </td>
                      <td data-label="Grade">{climb.grade}</td>
                      <td data-label="Created by">
                        {climb.createdBy?.name ?? climb.createdBy?.username ?? <em>deleted user</em>}
                        <div className="muted">
                          <When value={climb.createdAt} />
                        </div>
                      </td>
                      <td data-label="Last changed by">
                        {climb.updatedBy?.name ?? climb.updatedBy?.username ?? <em>deleted user</em>}
                        <div className="muted">
                          <When value={climb.updatedAt} />
                        </div>
                      </td>
                      <td className="actions">
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
                <a href="#new-climb">Create the first one</a> with the form above.
              </>
            ) : (
              "Climbs appear here as soon as someone creates one."
            )}
          </EmptyState>
        )}
      </div>
    </>
  );
}
