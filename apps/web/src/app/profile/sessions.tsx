"use client";

import { useMutation } from "@tanstack/react-query";
import { signOut } from "next-auth/react";
import { useFormatter, useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import type { RouterOutputs } from "@mastoc/api";
import { FormAlert } from "@/components/field";
import { SessionTable } from "@/components/session-table";
import { useDescribeClient } from "@/components/when";
import { useServerAction } from "@/lib/forms";
import { EXACT_TIME } from "@/lib/format";
import { useTRPC } from "@/lib/trpc";

export function Sessions({ sessions }: { sessions: RouterOutputs["auth"]["sessions"] }) {
  const t = useTranslations("settings.sessions");
  const format = useFormatter();
  const describeClient = useDescribeClient();
  const trpc = useTRPC();
  const router = useRouter();
  const revoke = useMutation(trpc.auth.revokeSession.mutationOptions());
  const revokeAll = useMutation(trpc.auth.logoutAll.mutationOptions());
  const { error, status, pending, run } = useServerAction();
  return (
    <>
      <FormAlert message={error} />
      <FormAlert message={status} tone="ok" />
      <SessionTable
        sessions={sessions}
        label={t("list")}
        caption={t("caption")}
        action={(session) =>
          !session.current && (
            <button
              type="button"
              className="secondary"
              aria-label={t("revokeLabel", {
                client: describeClient(session.userAgent),
                time: format.dateTime(new Date(session.createdAt), EXACT_TIME),
              })}
              disabled={pending}
              onClick={() =>
                run(async () => {
                  // The list is refreshed either way: a failure often means it was out of date.
                  try {
                    await revoke.mutateAsync({ id: session.id });
                  } finally {
                    router.refresh();
                  }
                  return t("revoked");
                })
              }
            >
              {t("revoke")}
            </button>
          )
        }
      />
      <p>
        <button
          type="button"
          className="danger"
          disabled={pending}
          onClick={() =>
            run(async () => {
              await revokeAll.mutateAsync();
              await signOut({ callbackUrl: "/login" });
            })
          }
        >
          {t("signOutEverywhere")}
        </button>
      </p>
    </>
  );
}
