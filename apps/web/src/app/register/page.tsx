import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import Link from "next/link";
import { redirect } from "next/navigation";
import { currentUser } from "@/identity/caller";
import { RegisterForm } from "./register-form";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("auth.register"))("title") };
}

export default async function RegisterPage() {
  if (await currentUser()) redirect("/profile");
  const t = await getTranslations("auth.register");
  return (
    <div className="card narrow">
      <h1>{t("title")}</h1>
      <RegisterForm />
      <p className="links">
        <Link href="/login">{t("signIn")}</Link>
      </p>
    </div>
  );
}
