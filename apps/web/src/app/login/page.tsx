import Link from "next/link";
import { redirect } from "next/navigation";
import { currentUser } from "@/identity/caller";
import { ClearEndedSession } from "./clear-ended-session";
import { LoginForm } from "./login-form";

export const metadata = { title: "Sign in · mastoc accounts" };

/** Only same-site paths are followed after sign-in (no open redirect). */
function safeNext(value: string | string[] | undefined): string {
  const next = Array.isArray(value) ? value[0] : value;
  return next && next.startsWith("/") && !next.startsWith("//") && !next.startsWith("/\\") ? next : "/profile";
}

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const next = safeNext(params.next);
  if (await currentUser()) redirect(next);
  return (
    <div className="card narrow">
      <h1>Sign in</h1>
      {params.reason === "session-ended" && (
        <>
          <ClearEndedSession />
          <p className="alert error" role="alert">
            Your session has ended. Sign in again.
          </p>
        </>
      )}
      {params.registered && (
        <p className="alert ok" role="status">
          Your account is ready. Sign in.
        </p>
      )}
      {params.reset && (
        <p className="alert ok" role="status">
          Your password was changed. Sign in with the new one.
        </p>
      )}
      <LoginForm next={next} />
      <p className="links">
        <Link href="/register">Create an account</Link>
        <Link href="/forgot-password">Forgot your password?</Link>
      </p>
    </div>
  );
}
