import Link from "next/link";
import { ResetPasswordForm } from "./reset-password-form";

export const metadata = { title: "Choose a new password · mastoc accounts" };

export default async function ResetPasswordPage({ searchParams }: { searchParams: Promise<{ token?: string }> }) {
  const { token } = await searchParams;
  return (
    <div className="card narrow">
      <h1>Choose a new password</h1>
      {token ? (
        <ResetPasswordForm token={token} />
      ) : (
        <p className="alert error" role="alert">
          This link is incomplete. Open the link from the email again, or ask for a new one.
        </p>
      )}
      <p className="links">
        <Link href="/forgot-password">Ask for a new link</Link>
        <Link href="/login">Back to sign in</Link>
      </p>
    </div>
  );
}
