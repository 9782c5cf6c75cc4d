import Link from "next/link";

export const metadata = { title: "Account deleted · mastoc accounts" };

/** Where the browser lands after deleting its account (signed out by then). */
export default function GoodbyePage() {
  return (
    <div className="card narrow">
      <h1>Your account is deleted</h1>
      <p>
        Thank you for climbing with mastoc. Your profile, sessions and keys are gone, and we mailed you a confirmation.
      </p>
      <p>
        <Link href="/register">Create a new account</Link> any time, or go back to the{" "}
        <Link href="/login">sign-in page</Link>.
      </p>
    </div>
  );
}
