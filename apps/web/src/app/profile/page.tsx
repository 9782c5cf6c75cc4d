import { formatDateTime } from "@/lib/format";
import { serverCaller } from "@/identity/caller";
import { requireUser } from "@/identity/require-user";
import { ApiKeys } from "./api-keys";
import { AvatarForm } from "./avatar-form";
import { ChangeEmailForm } from "./change-email-form";
import { ChangePasswordForm } from "./change-password-form";
import { DeleteAccount } from "./delete-account";
import { ProfileForm } from "./profile-form";
import { SecurityActivity } from "./security-activity";
import { Sessions } from "./sessions";
import { Passkeys } from "./passkeys";
import { TwoFactor } from "./two-factor";

export const metadata = { title: "Profile · mastoc accounts" };

const date = (value: Date | null) => (value ? `${formatDateTime(value)} UTC` : "—");

export default async function ProfilePage() {
  const user = await requireUser("/profile");
  const caller = await serverCaller();
  const [sessions, keys, twoFactor, passkeys, activity] = await Promise.all([
    caller.auth.sessions(),
    caller.apiKeys.list(),
    caller.auth.twoFactor.status(),
    caller.passkeys.list(),
    caller.users.securityActivity(),
  ]);
  return (
    <>
      <div className="card">
        <h1>{user.name ?? user.username}</h1>
        <dl className="facts">
          <dt>Email</dt>
          <dd>
            {user.email} <span className="badge">{user.emailVerified ? "verified" : "not verified"}</span>
          </dd>
          <dt>Role</dt>
          <dd>
            <span className="badge">{user.role}</span>
          </dd>
          <dt>Member since</dt>
          <dd>{date(user.createdAt)}</dd>
          <dt>Last sign-in</dt>
          <dd>{date(user.lastLoginAt)}</dd>
        </dl>
      </div>
      <section className="card" aria-labelledby="profile-heading">
        <h2 id="profile-heading">Profile</h2>
        <ProfileForm
          user={{ name: user.name, username: user.username, firstName: user.firstName, lastName: user.lastName }}
        />
      </section>
      <section className="card" aria-labelledby="avatar-heading">
        <h2 id="avatar-heading">Avatar</h2>
        <AvatarForm image={user.image} />
      </section>
      <section className="card" aria-labelledby="email-heading">
        <h2 id="email-heading">Email address</h2>
        <ChangeEmailForm email={user.email} verified={user.emailVerified !== null} />
      </section>
      <section className="card" aria-labelledby="password-heading">
        <h2 id="password-heading">Change password</h2>
        <ChangePasswordForm email={user.email} username={user.username} />
      </section>
      <section className="card" aria-labelledby="two-factor-heading">
        <h2 id="two-factor-heading">Two-factor authentication</h2>
        <TwoFactor status={twoFactor} />
      </section>
      <section className="card" aria-labelledby="passkeys-heading">
        <h2 id="passkeys-heading">Passkeys</h2>
        <Passkeys passkeys={passkeys} />
      </section>
      <section className="card" id="sessions" aria-labelledby="sessions-heading">
        <h2 id="sessions-heading">Active sessions</h2>
        <Sessions sessions={sessions} />
      </section>
      <section className="card" id="security-activity" aria-labelledby="security-activity-heading">
        <h2 id="security-activity-heading">Security activity</h2>
        <SecurityActivity events={activity} />
      </section>
      <section className="card" aria-labelledby="keys-heading">
        <h2 id="keys-heading">API keys</h2>
        <ApiKeys keys={keys} />
      </section>
      <section className="card" aria-labelledby="delete-heading">
        <h2 id="delete-heading">Delete account</h2>
        <DeleteAccount />
      </section>
    </>
  );
}
