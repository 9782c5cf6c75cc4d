import type { Metadata } from "next";
import { getFormatter, getTranslations } from "next-intl/server";
import Link from "next/link";
import { canSetActive, roles } from "@mastoc/api/permissions";
import { EmptyState, FilterInput, FilterSelect, Pagination, PastTheEnd, TableScroll } from "@/components/listing";
import { serverCaller } from "@/identity/caller";
import { requireUser } from "@/identity/require-user";
import { UserActions } from "./user-actions";
import { When } from "@/components/when";
import { EXACT_TIME } from "@/lib/format";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("admin.users"))("title") };
}

type Search = { query?: string; role?: string; active?: string; security?: string; sort?: string; page?: string };

/** The security filter's choices, as listUsers filters (the dashboard's tiles link to them). */
const SECURITY_FILTERS = {
  locked: { locked: true },
  unverified: { verified: false },
  secondFactor: { secondFactor: true },
  noSecondFactor: { secondFactor: false },
} as const;
const SORTS = ["createdAt", "email", "username", "name", "lastLoginAt", "role"] as const;

export default async function AdminUsersPage({ searchParams }: { searchParams: Promise<Search> }) {
  const viewer = await requireUser("/admin/users", "users.read");
  const params = await searchParams;
  const page = Math.max(1, Number.parseInt(params.page ?? "1", 10) || 1);
  const sort = SORTS.find((value) => value === params.sort) ?? "createdAt";
  const result = await (
    await serverCaller()
  ).admin.listUsers({
    query: params.query || undefined,
    role: roles.find((role) => role === params.role),
    active: params.active === "yes" ? true : params.active === "no" ? false : undefined,
    ...(params.security && Object.hasOwn(SECURITY_FILTERS, params.security)
      ? SECURITY_FILTERS[params.security as keyof typeof SECURITY_FILTERS]
      : {}),
    sort,
    order: sort === "createdAt" || sort === "lastLoginAt" ? "desc" : "asc",
    page,
    pageSize: 20,
  });
  const link = (target: number) => `/admin/users?${new URLSearchParams({ ...params, page: String(target) })}`;
  const now = Date.now();
  const [t, roleNames, format] = await Promise.all([
    getTranslations("admin.users"),
    getTranslations("layout.roles"),
    getFormatter(),
  ]);
  const ui = await getTranslations("layout.ui");
  return (
    <div className="card wide">
      <h1>{t("title")}</h1>
      <form className="filters" method="get" role="search" aria-label={t("filter")}>
        <FilterInput
          id="users-query"
          name="query"
          label={t("search")}
          value={params.query}
          placeholder={t("searchPlaceholder")}
        />
        <FilterSelect id="users-role" name="role" label={t("role")} value={params.role}>
          <option value="">{t("any")}</option>
          {roles.map((role) => (
            <option key={role} value={role}>
              {roleNames(role)}
            </option>
          ))}
        </FilterSelect>
        <FilterSelect id="users-active" name="active" label={t("status")} value={params.active}>
          <option value="">{t("any")}</option>
          <option value="yes">{t("active")}</option>
          <option value="no">{t("deactivated")}</option>
        </FilterSelect>
        <FilterSelect id="users-security" name="security" label={t("security")} value={params.security}>
          <option value="">{t("any")}</option>
          {(Object.keys(SECURITY_FILTERS) as (keyof typeof SECURITY_FILTERS)[]).map((value) => (
            <option key={value} value={value}>
              {t(`securityFilters.${value}`)}
            </option>
          ))}
        </FilterSelect>
        <FilterSelect id="users-sort" name="sort" label={t("sortBy")} value={sort}>
          {SORTS.map((value) => (
            <option key={value} value={value}>
              {t(`sorts.${value}`)}
            </option>
          ))}
        </FilterSelect>
        <button type="submit" className="secondary">
          {t("filterButton")}
        </button>
      </form>
      {result.items.length > 0 ? (
        <>
          <TableScroll label={t("list")}>
            <table className="cards">
              <caption className="muted">
                {/* Past 10,000 matches the API estimates the total rather than counting every row. */}
                {result.totalEstimated ? t("about", { count: result.total }) : t("count", { count: result.total })}
              </caption>
              <thead>
                <tr>
                  <th scope="col">{t("user")}</th>
                  <th scope="col">{t("role")}</th>
                  <th scope="col">{t("status")}</th>
                  <th scope="col">{t("lastSignIn")}</th>
                  <th scope="col">
                    <span className="visually-hidden">{ui("actions")}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {result.items.map((user) => {
                  const locked = user.lockedUntil !== null && user.lockedUntil.getTime() > now;
                  return (
                    <tr key={user.id}>
                      <td data-label={t("user")}>
                        <Link href={`/admin/users/${encodeURIComponent(user.id)}`}>
                          <strong>{user.name ?? user.username}</strong>
                        </Link>
                        <div className="muted">
                          {user.email} · @{user.username}
                        </div>
                      </td>
                      <td data-label={t("role")}>{roleNames(user.role)}</td>
                      <td data-label={t("status")}>
                        {user.isActive ? t("active") : t("deactivated")}
                        {locked && (
                          <div className="error">
                            {t("lockedUntil", { time: format.dateTime(user.lockedUntil!, EXACT_TIME) })}
                          </div>
                        )}
                        {!user.emailVerified && <div className="muted">{t("emailNotVerified")}</div>}
                        {user.twoFactorEnabledAt && <div className="muted">{t("twoFactorOn")}</div>}
                      </td>
                      <td data-label={t("lastSignIn")}>
                        <When value={user.lastLoginAt} empty={ui("never")} />
                      </td>
                      <td className="actions">
                        {user.id === viewer.id ? (
                          <span className="muted">{t("you")}</span>
                        ) : (
                          <UserActions
                            user={{
                              id: user.id,
                              label: user.name ?? user.username,
                              username: user.username,
                              role: user.role,
                              isActive: user.isActive,
                              locked,
                              emailVerified: Boolean(user.emailVerified),
                              twoFactor: user.twoFactorEnabledAt !== null,
                            }}
                            canManage={viewer.permissions["users.manage"]}
                            canSetActive={canSetActive(viewer.role, user.role)}
                          />
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </TableScroll>
          <Pagination page={result.page} pageCount={result.pageCount} href={link} />
        </>
      ) : result.total > 0 ? (
        <PastTheEnd page={result.page} total={result.total} firstPage={link(1)} />
      ) : (
        <EmptyState title={t("emptyTitle")}>
          {t.rich("emptyText", { link: (chunks) => <Link href="/admin/users">{chunks}</Link> })}
        </EmptyState>
      )}
    </div>
  );
}
