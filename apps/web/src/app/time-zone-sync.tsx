"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { useTRPC } from "@/lib/trpc";

/**
 * Saves the browser's time zone on an account that has none yet (its first sign-in), so that pages
 * and emails show local times from then on; the user can change it in Settings.
 */
export function TimeZoneSync() {
  const trpc = useTRPC();
  const router = useRouter();
  const { mutate } = useMutation(trpc.users.updateMe.mutationOptions({ onSuccess: () => router.refresh() }));
  useEffect(() => {
    const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (timeZone) mutate({ timeZone });
  }, [mutate]);
  return null;
}
