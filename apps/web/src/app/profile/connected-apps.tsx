"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import type { RouterOutputs } from "@mastoc/api";
import { FormAlert } from "@/components/field";
import { EmptyState, TableScroll } from "@/components/listing";
import { When } from "@/components/when";
import { useServerAction } from "@/lib/forms";
import { useTRPC } from "@/lib/trpc";

const SCOPES = ["openid", "profile", "email", "offline_access"] as const;
const isScope = (scope: string): scope is (typeof SCOPES)[number] => (SCOPES as readonly string[]).includes(scope);

export function ConnectedApps({ apps }: { apps: RouterOutputs["oauth"]["connectedApps"] }) {
  const t = useTranslations("settings.connectedApps");
  const trpc = useTRPC();
  const router = useRouter();
  const revoke = useMutation(trpc.oauth.revokeConnectedApp.mutationOptions());
  const revocation = useServerAction();
  return (
    <>
      <FormAlert message={revocation.error} />
      <FormAlert message={revocation.status} tone="ok" />
      {apps.length === 0 ? (
        <EmptyState title={t("empty")}>{t("emptyHint")}</EmptyState>
      ) : (
        <TableScroll label={t("caption")}>
          <table className="cards">
            <caption className="muted">{t("caption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("app")}</th>
                <th scope="col">{t("scopes")}</th>
                <th scope="col">{t("lastUsed")}</th>
                <th scope="col">
                  <span className="visually-hidden">{t("revoke")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {apps.map((app) => (
                <tr key={app.clientId}>
                  <td data-label={t("app")}>{app.name}</td>
                  <td data-label={t("scopes")}>
                    {app.scopes
                      .filter(isScope)
                      .map((scope) => t(`scopeNames.${scope}`))
                      .join(", ")}
                  </td>
                  <td data-label={t("lastUsed")}>
                    <When value={app.lastUsedAt} />
                  </td>
                  <td>
                    <button
                      type="button"
                      className="secondary"
                      aria-label={t("revokeLabel", { name: app.name })}
                      disabled={revocation.pending}
                      onClick={() =>
                        revocation.run(async () => {
                          await revoke.mutateAsync({ clientId: app.clientId });
                          router.refresh();
                          return t("revoked", { name: app.name });
                        })
                      }
                    >
                      {t("revoke")}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </>
  );
}
