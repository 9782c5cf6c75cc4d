"use client";

import { useMutation } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import type { RouterOutputs } from "@mastoc/api";
import { FormAlert } from "@/components/field";
import { EmptyState } from "@/components/listing";
import { SessionTable } from "@/components/session-table";
import { useDescribeClient } from "@/components/when";
import { useRefreshingAction } from "@/lib/forms";
import { useTRPC } from "@/lib/trpc";

/** A user's active sessions, each with a Revoke button for the administrator. */
export function UserSessions({
  userId,
  sessions,
  canRevoke,
}: {
  userId: string;
  sessions: RouterOutputs["admin"]["userSessions"];
  canRevoke: boolean;
}) {
  const t = useTranslations("admin.user");
  const describeClient = useDescribeClient();
  const trpc = useTRPC();
  const revoke = useMutation(trpc.admin.revokeUserSession.mutationOptions());
  const { error, status, pending, act } = useRefreshingAction();
  if (sessions.length === 0) {
    return <EmptyState title={t("noSessionsTitle")}>{t("noSessionsText")}</EmptyState>;
  }
  return (
    <>
      <FormAlert message={error} />
      <FormAlert message={status} tone="ok" />
      <SessionTable
        sessions={sessions}
        label={t("sessionsLabel")}
        caption={t("sessionsCaption")}
        action={(session) =>
          canRevoke && (
            <button
              type="button"
              className="secondary"
              disabled={pending}
              aria-label={t("revokeLabel", { client: describeClient(session.userAgent) })}
              onClick={() => act(() => revoke.mutateAsync({ userId, sessionId: session.id }), t("revoked"))}
            >
              {t("revoke")}
            </button>
          )
        }
      />
    </>
  );
}
