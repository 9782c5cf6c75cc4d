import Link from "next/link";
import { VerifyEmailForm } from "./verify-email-form";

export const metadata = { title: "Verify your email · mastoc accounts" };

/**
 * The page of verification and email-change links. The link is used by a button press, not by
 * opening the page, so mail scanners that fetch links cannot spend it.
 */
export default async function VerifyEmailPage({ searchParams }: { searchParams: Promise<{ token?: string }> }) {
  const { token } = await searchParams;
  return (
    <div className="card narrow">
      <h1>Verify your email address</h1>
      {token ? (
        <VerifyEmailForm token={token} />
      ) : (
        <p className="alert error" role="alert">
          This link is incomplete. Open the link from the email again, or ask for a new one from your profile.
        </p>
      )}
      <p className="links">
        <Link href="/profile">Your profile</Link>
        <Link href="/login">Sign in</Link>
      </p>
    </div>
  );
}
