import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import Link from "next/link";
import { notFound } from "next/navigation";
import { canSetActive } from "@mastoc/api/permissions";
import { AuditEntries } from "@/components/audit-entries";
import { EmptyState } from "@/components/listing";
import { When } from "@/components/when";
import { serverCaller } from "@/identity/caller";
import { requireUser } from "@/identity/require-user";
import { SecurityActivity } from "../../../profile/security-activity";
import { UserActions } from "../user-actions";
import { UserSessions } from "./user-sessions";
import { Avatar } from "@/components/avatar";

type Params = { params: Promise<{ id: string }> };

/** One user's page for staff: the title names them, once the viewer may read users. */
export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { id } = await params;
  const caller = await serverCaller();
  const t = await getTranslations("admin.user");
  const me = (await caller.auth.status()).user;
  if (!me?.permissions["users.read"]) return { title: t("forbidden") };
  const user = await caller.admin.getUser({ id }).catch(() => null);
  return { title: user ? t("titleOf", { name: user.name ?? user.username }) : t("notFound") };
}

export default async function AdminUserPage({ params }: Params) {
  const { id } = await params;
  const viewer = await requireUser(`/admin/users/${encodeURIComponent(id)}`, "users.read");
  const caller = await serverCaller();
  const user = await caller.admin.getUser({ id }).catch(() => null);
  if (!user) notFound();
  const admin = viewer.permissions["users.manage"];
  const canAudit = viewer.permissions["audit.readAll"];
  const [sessions, activity, asTarget, asActor] = await Promise.all([
    admin ? caller.admin.userSessions({ id }) : null,
    admin ? caller.admin.userSecurityActivity({ id }) : null,
    canAudit ? caller.audit.list({ targetType: "user", targetId: id, limit: 20 }) : null,
    canAudit ? caller.audit.list({ actorId: id, limit: 20 }) : null,
  ]);
  const label = user.name ?? user.username;
  const locked = user.lockedUntil !== null && user.lockedUntil.getTime() > Date.now();
  const self = user.id === viewer.id;
  const [t, roleNames, ui] = await Promise.all([
    getTranslations("admin.user"),
    getTranslations("layout.roles"),
    getTranslations("layout.ui"),
  ]);
  return (
    <>
      <p>
        <Link href="/admin/users">{t("allUsers")}</Link>
      </p>
      <div className="card account-card">
        <Avatar user={user} />
        <div>
          <h1>{label}</h1>
          <dl className="facts">
            <dt>{t("email")}</dt>
            <dd>
              {user.email} <span className="badge">{user.emailVerified ? t("verified") : t("notVerified")}</span>
            </dd>
            <dt>{t("username")}</dt>
            <dd>@{user.username}</dd>
            <dt>{t("role")}</dt>
            <dd>
              <span className="badge">{roleNames(user.role)}</span>
            </dd>
            <dt>{t("status")}</dt>
            <dd>
              {user.isActive ? t("active") : t("deactivated")}
              {locked && (
                <>
                  {" · "}
                  <span className="error">
                    {t("lockedUntil")} <When value={user.lockedUntil} />
                  </span>
                </>
              )}
            </dd>
            <dt>{t("secondFactor")}</dt>
            <dd>{user.twoFactorEnabledAt ? t("twoFactorOn") : t("none")}</dd>
            <dt>{t("memberSince")}</dt>
            <dd>
              <When value={user.createdAt} />
            </dd>
            <dt>{t("lastSignIn")}</dt>
            <dd>
              <When value={user.lastLoginAt} empty={ui("never")} />
            </dd>
            <dt>{t("passwordChanged")}</dt>
            <dd>
              <When value={user.passwordChangedAt} />
            </dd>
            <dt>{t("activeSessions")}</dt>
            <dd>{user.activeSessions}</dd>
          </dl>
        </div>
      </div>
      <section className="card" aria-labelledby="user-actions-heading">
        <h2 id="user-actions-heading">{t("actions")}</h2>
        {self ? (
          <p className="muted">{t.rich("self", { link: (chunks) => <Link href="/profile">{chunks}</Link> })}</p>
        ) : (
          <UserActions
            user={{
              id: user.id,
              label,
              username: user.username,
              role: user.role,
              isActive: user.isActive,
              locked,
              emailVerified: Boolean(user.emailVerified),
              twoFactor: user.twoFactorEnabledAt !== null,
            }}
            canManage={admin}
            canSetActive={canSetActive(viewer.role, user.role)}
            afterDelete="/admin/users"
          />
        )}
      </section>
      {sessions && (
        <section className="card" aria-labelledby="user-sessions-heading">
          <h2 id="user-sessions-heading">{t("sessions")}</h2>
          <UserSessions userId={user.id} sessions={sessions} canRevoke={!self} />
        </section>
      )}
      {activity && (
        <section className="card" aria-labelledby="user-activity-heading">
          <h2 id="user-activity-heading">{t("activity")}</h2>
          <SecurityActivity events={activity} name={label} />
        </section>
      )}
      {asTarget && asActor && (
        <section className="card" aria-labelledby="user-audit-heading">
          <h2 id="user-audit-heading">{t("audit")}</h2>
          {asTarget.items.length > 0 ? (
            <AuditEntries
              entries={asTarget.items}
              label={t("aboutLabel")}
              caption={t("aboutCaption")}
              names={new Map([[user.id, label]])}
            />
          ) : (
            <EmptyState title={t("aboutEmptyTitle")}>{t("aboutEmptyText")}</EmptyState>
          )}
          {asActor.items.length > 0 && (
            <AuditEntries
              entries={asActor.items}
              label={t("byLabel")}
              caption={t("byCaption")}
              names={new Map([[user.id, label]])}
            />
          )}
          <p>
            <Link href={`/admin/audit?${new URLSearchParams({ targetType: "user", targetId: user.id })}`}>
              {t("allAbout", { name: label })}
            </Link>{" "}
            ·{" "}
            <Link href={`/admin/audit?${new URLSearchParams({ actor: user.email })}`}>
              {t("allBy", { name: label })}
            </Link>
          </p>
        </section>
      )}
    </>
  );
}
