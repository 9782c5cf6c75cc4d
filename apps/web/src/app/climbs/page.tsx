import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import Link from "next/link";
import type { ReactNode } from "react";
import { gradeRange } from "@mastoc/api/grades";
import { canManageClimb } from "@mastoc/api/permissions";
import { EmptyState, FilterInput, Pagination, PastTheEnd, TableScroll } from "@/components/listing";
import { serverCaller } from "@/identity/caller";
import { requireUser } from "@/identity/require-user";
import { ClimbActions, CreateClimb } from "./climb-forms";
import { When } from "@/components/when";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("climbs"))("title") };
}

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
  const [t, ui] = await Promise.all([getTranslations("climbs"), getTranslations("layout.ui")]);
  const add = (chunks: ReactNode) => <a href="#new-climb">{chunks}</a>;
  return (
    <>
      <h1>{t("title")}</h1>
      {canCreate && (
        <section className="card" aria-labelledby="new-climb">
          <h2 id="new-climb">{t("new")}</h2>
          <CreateClimb />
        </section>
      )}
      <div className="card">
        <h2 className="visually-hidden">{t("list")}</h2>
        <form className="filters" method="get" role="search" aria-label={t("filter")}>
          <FilterInput id="filter-query" name="query" label={t("search")} value={params.query} />
          <FilterInput
            id="filter-grade-from"
            name="gradeFrom"
            label={t("gradeFrom")}
            value={gradeFrom}
            placeholder="6A"
            size={6}
          />
          <FilterInput
            id="filter-grade-to"
            name="gradeTo"
            label={t("gradeTo")}
            value={gradeTo}
            placeholder="7A+"
            size={6}
          />
          <div className="field">
            <label htmlFor="filter-mine">
              <input id="filter-mine" type="checkbox" name="mine" value="1" defaultChecked={Boolean(params.mine)} />{" "}
              {t("mine")}
            </label>
          </div>
          <button type="submit" className="secondary">
            {t("filterButton")}
          </button>
        </form>
        {rangeError && (
          <p className="alert error" role="alert">
            {t("rangeError", { error: rangeError })}
          </p>
        )}
        {result.items.length > 0 ? (
          <>
            <TableScroll label={t("list")}>
              <table className="cards">
                <caption className="muted">{t("count", { count: result.total })}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t("name")}</th>
                    <th scope="col">{t("grade")}</th>
                    <th scope="col">{t("createdBy")}</th>
                    <th scope="col">{t("changedBy")}</th>
                    <th scope="col">
                      <span className="visually-hidden">{ui("actions")}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {result.items.map((climb) => (
                    <tr key={climb.id}>
                      <td data-label={t("name")}>
                        <strong>{climb.name}</strong>
                        {climb.description && <div className="muted multiline">{climb.description}</div>}
                      </td>
                      <td data-label={t("grade")}>{climb.grade}</td>
                      <td data-label={t("createdBy")}>
                        {climb.createdBy?.name ?? climb.createdBy?.username ?? <em>{t("deletedUser")}</em>}
                        <div className="muted">
                          <When value={climb.createdAt} />
                        </div>
                      </td>
                      <td data-label={t("changedBy")}>
                        {climb.updatedBy?.name ?? climb.updatedBy?.username ?? <em>{t("deletedUser")}</em>}
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
                          <span className="muted">{ui("none")}</span>
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
          <PastTheEnd page={result.page} total={result.total} firstPage={link(1)} />
        ) : filtered ? (
          <EmptyState title={t("noMatchTitle")}>
            {t.rich(canCreate ? "noMatchTextCreate" : "noMatchText", {
              link: (chunks) => <Link href="/climbs">{chunks}</Link>,
              add,
            })}
          </EmptyState>
        ) : (
          <EmptyState title={t("emptyTitle")}>{canCreate ? t.rich("emptyCreate", { add }) : t("emptyText")}</EmptyState>
        )}
      </div>
    </>
  );
}
