import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import Link from "next/link";
import { ForgotPasswordForm } from "./forgot-password-form";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("auth.forgot"))("title") };
}

export default async function ForgotPasswordPage() {
  const t = await getTranslations("auth.forgot");
  return (
    <div className="card narrow">
      <h1>{t("title")}</h1>
      <p className="muted">{t("intro")}</p>
      <ForgotPasswordForm />
      <p className="links">
        <Link href="/login">{t("backToSignIn")}</Link>
      </p>
    </div>
  );
}
