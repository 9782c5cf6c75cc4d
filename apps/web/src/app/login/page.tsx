import { redirect } from "next/navigation";
import { currentUser } from "@/server/caller";
import { LoginForm } from "./login-form";

export const metadata = { title: "Sign in · mastoc accounts" };

/** Only same-site paths are followed after sign-in (no open redirect). */
function safeNext(value: string | string[] | undefined): string {
  const next = Array.isArray(value) ? value[0] : value;
  return next && next.startsWith("/") && !next.startsWith("//") ? next : "/profile";
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
        <p className="alert error" role="alert">
          Your session has ended. Sign in again.
        </p>
      )}
      <LoginForm next={next} />
    </div>
  );
}
