import Link from "next/link";
import { ForgotPasswordForm } from "./forgot-password-form";

export const metadata = { title: "Forgot your password · mastoc accounts" };

export default function ForgotPasswordPage() {
  return (
    <div className="card narrow">
      <h1>Forgot your password?</h1>
      <p className="muted">Enter the email of your account and we will send you a link to choose a new password.</p>
      <ForgotPasswordForm />
      <p className="links">
        <Link href="/login">Back to sign in</Link>
      </p>
    </div>
  );
}
