import type { Metadata } from "next";
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

type Params = { params: Promise<{ id: string }> };

/** One user's page for staff: the title names them, once the viewer may read users. */
export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { id } = await params;
  const caller = await serverCaller();
  const me = (await caller.auth.status()).user;
  if (!me?.permissions["users.read"]) return { title: "Not allowed (403) · mastoc accounts" };
  const user = await caller.admin.getUser({ id }).catch(() => null);
  return {
    title: user ? `${user.name ?? user.username} · Users · mastoc accounts` : "Page not found (404) · mastoc accounts",
  };
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
  return (
    <>
      <p>
        <Link href="/admin/users">← All users</Link>
      </p>
      <div className="card account-card">
        {user.image ? (
          <img className="avatar" src={user.image} alt="" width={96} height={96} />
        ) : (
          <span className="avatar initials" aria-hidden="true">
            {label.slice(0, 1).toUpperCase()}
          </span>
        )}
        <div>
          <h1>{label}</h1>
          <dl className="facts">
            <dt>Email</dt>
            <dd>
              {user.email} <span className="badge">{user.emailVerified ? "verified" : "not verified"}</span>
            </dd>
            <dt>Username</dt>
            <dd>@{user.username}</dd>
            <dt>Role</dt>
            <dd>
              <span className="badge">{user.role}</span>
            </dd>
            <dt>Status</dt>
            <dd>
              {user.isActive ? "Active" : "Deactivated"}
              {locked && (
                <>
                  {" · "}
                  <span className="error">
                    Locked until <When value={user.lockedUntil} />
                  </span>
                </>
              )}
            </dd>
            <dt>Second factor</dt>
            <dd>{user.twoFactorEnabledAt ? "Two-factor authentication on" : "None (password only)"}</dd>
            <dt>Member since</dt>
            <dd>
              <When value={user.createdAt} />
            </dd>
            <dt>Last sign-in</dt>
            <dd>
              <When value={user.lastLoginAt} empty="Never" />
            </dd>
            <dt>Password changed</dt>
            <dd>
              <When value={user.passwordChangedAt} />
            </dd>
            <dt>Active sessions</dt>
            <dd>{user.activeSessions}</dd>
          </dl>
        </div>
      </div>
      <section className="card" aria-labelledby="user-actions-heading">
        <h2 id="user-actions-heading">Actions</h2>
        {self ? (
          <p className="muted">
            This is you: change your own account from <Link href="/profile">your settings</Link>.
          </p>
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
          <h2 id="user-sessions-heading">Sessions</h2>
          <UserSessions userId={user.id} sessions={sessions} canRevoke={!self} />
        </section>
      )}
      {activity && (
        <section className="card" aria-labelledby="user-activity-heading">
          <h2 id="user-activity-heading">Security activity</h2>
          <SecurityActivity events={activity} whose={`${label}'s`} />
        </section>
      )}
      {asTarget && asActor && (
        <section className="card" aria-labelledby="user-audit-heading">
          <h2 id="user-audit-heading">Audit entries</h2>
          {asTarget.items.length > 0 ? (
            <AuditEntries
              entries={asTarget.items}
              label="Entries about this account"
              caption="Done to this account, newest first"
              names={new Map([[user.id, label]])}
            />
          ) : (
            <EmptyState title="Nothing recorded about this account.">Changes to it appear here.</EmptyState>
          )}
          {asActor.items.length > 0 && (
            <AuditEntries
              entries={asActor.items}
              label="Entries by this account"
              caption="Done by this account, newest first"
              names={new Map([[user.id, label]])}
            />
          )}
          <p>
            <Link href={`/admin/audit?${new URLSearchParams({ targetType: "user", targetId: user.id })}`}>
              All entries about {label}
            </Link>{" "}
            · <Link href={`/admin/audit?${new URLSearchParams({ actor: user.email })}`}>All entries by {label}</Link>
          </p>
        </section>
      )}
    </>
  );
}
