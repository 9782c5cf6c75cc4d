import { When } from "@/components/when";
import { requireUser } from "@/identity/require-user";
import { AvatarForm } from "./avatar-form";
import { ChangeEmailForm } from "./change-email-form";
import { ProfileForm } from "./profile-form";
import { settingsTitle } from "./sections";

export const metadata = { title: settingsTitle("Account") };

export default async function AccountPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await requireUser("/profile");
  const { welcome } = await searchParams;
  return (
    <>
      {welcome && (
        <p className="alert ok" role="status">
          Welcome to mastoc, {user.name ?? user.username}! Your account is ready and you are signed in.
        </p>
      )}
      <div className="card account-card">
        {user.image ? (
          <img className="avatar" src={user.image} alt="" width={96} height={96} />
        ) : (
          <span className="avatar initials" aria-hidden="true">
            {(user.name ?? user.username).slice(0, 1).toUpperCase()}
          </span>
        )}
        <div>
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
            <dd>
              <When value={user.createdAt} />
            </dd>
            <dt>Last sign-in</dt>
            <dd>
              <When value={user.lastLoginAt} />
            </dd>
          </dl>
        </div>
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
    </>
  );
}
