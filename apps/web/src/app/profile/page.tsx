import { redirect } from "next/navigation";
import { currentUser } from "@/server/caller";

export const metadata = { title: "Profile · mastoc accounts" };

const date = (value: Date | null) => (value ? value.toISOString().replace("T", " ").slice(0, 16) + " UTC" : "—");

export default async function ProfilePage() {
  const user = await currentUser();
  if (!user) redirect("/login?next=/profile");
  return (
    <div className="card">
      <h1>{user.name ?? user.username}</h1>
      <dl className="facts">
        <dt>Email</dt>
        <dd>{user.email}</dd>
        <dt>Username</dt>
        <dd>{user.username}</dd>
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
  );
}
