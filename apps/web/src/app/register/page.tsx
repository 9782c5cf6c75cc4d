import Link from "next/link";
import { redirect } from "next/navigation";
import { currentUser } from "@/identity/caller";
import { RegisterForm } from "./register-form";

export const metadata = { title: "Create an account · mastoc accounts" };

export default async function RegisterPage() {
  if (await currentUser()) redirect("/profile");
  return (
    <div className="card narrow">
      <h1>Create an account</h1>
      <RegisterForm />
      <p className="links">
        <Link href="/login">Already have an account? Sign in</Link>
      </p>
    </div>
  );
}
