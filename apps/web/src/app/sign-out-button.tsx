"use client";

import { signOut } from "next-auth/react";
import { FormAlert } from "@/components/field";
import { useServerAction } from "@/lib/forms";

export function SignOutButton() {
  const { error, pending, run } = useServerAction();
  return (
    <>
      <button
        type="button"
        className="secondary"
        disabled={pending}
        onClick={() => run(() => signOut({ callbackUrl: "/login" }))}
      >
        Sign out
      </button>
      <FormAlert message={error} />
    </>
  );
}
