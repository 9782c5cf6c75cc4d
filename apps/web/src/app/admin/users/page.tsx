import Link from "next/link";
import { canSetActive, roles } from "@mastoc/api/permissions";
import { EmptyState, FilterInput, FilterSelect, Pagination, PastTheEnd, TableScroll } from "@/components/listing";
import { serverCaller } from "@/identity/caller";
import { requireUser } from "@/identity/require-user";
import { UserActions } from "./user-actions";
import { When } from "@/components/when";
import { formatDateTime, plural } from "@/lib/format";

export const metadata = { title: "Users · mastoc accounts" };

type Search = { query?: string; role?: string; active?: string; security?: string; sort?: string; page?: string };

/** The security filter's choices, as listUsers filters (the dashboard's tiles link to them). */
const SECURITY_FILTERS = {
  locked: { label: "Locked now", filter: { locked: true } },
  unverified: { label: "Email not verified", filter: { verified: false } },
  secondFactor: { label: "With 2FA or a passkey", filter: { secondFactor: true } },
  noSecondFactor: { label: "Password only", filter: { secondFactor: false } },
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
      ? SECURITY_FILTERS[params.security as keyof typeof SECURITY_FILTERS].filter
      : {}),
    sort,
    order: sort === "createdAt" || sort === "lastLoginAt" ? "desc" : "asc",
    page,
    pageSize: 20,
  });
  const link = (target: number) => `/admin/users?${new URLSearchParams({ ...params, page: String(target) })}`;
  const now = Date.now();
  return (
    <div className="card wide">
      <h1>Users</h1>
      <form className="filters" method="get" role="search" aria-label="Filter users">
        <FilterInput
          id="users-query"
          name="query"
          label="Search"
          value={params.query}
          placeholder="email, username or name"
        />
        <FilterSelect id="users-role" name="role" label="Role" value={params.role}>
          <option value="">Any</option>
          {roles.map((role) => (
            <option key={role}>{role}</option>
          ))}
        </FilterSelect>
        <FilterSelect id="users-active" name="active" label="Status" value={params.active}>
          <option value="">Any</option>
          <option value="yes">Active</option>
          <option value="no">Deactivated</option>
        </FilterSelect>
        <FilterSelect id="users-security" name="security" label="Security" value={params.security}>
          <option value="">Any</option>
          {Object.entries(SECURITY_FILTERS).map(([value, { label }]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </FilterSelect>
        <FilterSelect id="users-sort" name="sort" label="Sort by" value={sort}>
          <option value="createdAt">Newest</option>
          <option value="email">Email</option>
          <option value="username">Username</option>
          <option value="name">Name</option>
          <option value="lastLoginAt">Last sign-in</option>
          <option value="role">Role</option>
        </FilterSelect>
        <button type="submit" className="secondary">
          Filter
        </button>
      </form>
      {result.items.length > 0 ? (
        <>
          <TableScroll label="User list">
            <table className="cards">
              <caption className="muted">
                {/* Past 10,000 matches the API estimates the total rather than counting every row. */}
                {result.totalEstimated
                  ? `About ${result.total.toLocaleString("en")} users`
                  : plural(result.total, "user")}
              </caption>
              <thead>
                <tr>
                  <th scope="col">User</th>
                  <th scope="col">Role</th>
                  <th scope="col">Status</th>
                  <th scope="col">Last sign-in</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {result.items.map((user) => {
                  const locked = user.lockedUntil !== null && user.lockedUntil.getTime() > now;
                  return (
                    <tr key={user.id}>
                      <td data-label="User">
                        <Link href={`/admin/users/${encodeURIComponent(user.id)}`}>
                          <strong>{user.name ?? user.username}</strong>
                        </Link>
                        <div className="muted">
                          {user.email} · @{user.username}
                        </div>
                      </td>
                      <td data-label="Role">{user.role}</td>
                      <td data-label="Status">
                        {user.isActive ? "Active" : "Deactivated"}
                        {locked && <div className="error">Locked until {formatDateTime(user.lockedUntil)}</div>}
                        {!user.emailVerified && <div className="muted">Email not verified</div>}
                        {user.twoFactorEnabledAt && <div className="muted">Two-factor on</div>}
                      </td>
                      <td data-label="Last sign-in">
                        <When value={user.lastLoginAt} empty="Never" />
                      </td>
                      <td className="actions">
                        {user.id === viewer.id ? (
                          <span className="muted">You</span>
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
        <PastTheEnd page={result.page} total={result.total} noun="user" firstPage={link(1)} />
      ) : (
        <EmptyState title="No users match these filters.">
          <Link href="/admin/users">Clear the filters</Link> to see every account, or search for part of an email,
          username or name.
        </EmptyState>
      )}
    </div>
  );
}
