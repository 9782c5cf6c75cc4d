"use client";

import { useMutation } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { apiKeyCreateInput } from "@mastoc/api/schemas";
import type { RouterOutputs } from "@mastoc/api";
import { Field, FormAlert } from "@/components/field";
import { EmptyState, TableScroll } from "@/components/listing";
import { useLocalizedResolver, useServerAction, useServerSubmit } from "@/lib/forms";
import { When } from "@/components/when";
import { useTRPC } from "@/lib/trpc";

/** The key itself is in the create response only: it is shown here once, with a copy button. */
function CreatedKey({ name, secret }: { name: string; secret: string }) {
  const t = useTranslations("settings.apiKeys");
  const [copy, setCopy] = useState<"idle" | "copied" | "failed">("idle");
  return (
    <div className="alert ok" role="status">
      <p>{t.rich("created", { name, strong: (chunks) => <strong>{chunks}</strong> })}</p>
      <p className="key" data-testid="new-api-key">
        {secret}
      </p>
      <button
        type="button"
        className="secondary"
        onClick={() =>
          navigator.clipboard.writeText(secret).then(
            () => setCopy("copied"),
            () => setCopy("failed"),
          )
        }
      >
        {copy === "copied" ? t("copied") : t("copy")}
      </button>
      {copy === "failed" && (
        <p className="error" role="alert">
          {t("copyRefused")}
        </p>
      )}
    </div>
  );
}

export function ApiKeys({ keys }: { keys: RouterOutputs["apiKeys"]["list"] }) {
  const t = useTranslations("settings.apiKeys");
  const ui = useTranslations("layout.ui");
  const trpc = useTRPC();
  const router = useRouter();
  const [created, setCreated] = useState<{ id: string; name: string; key: string } | null>(null);
  const form = useForm({ resolver: useLocalizedResolver(apiKeyCreateInput), defaultValues: { name: "" } });
  const create = useMutation(trpc.apiKeys.create.mutationOptions());
  const revoke = useMutation(trpc.apiKeys.revoke.mutationOptions());
  const revocation = useServerAction();
  const { formError, onSubmit } = useServerSubmit(form, ["name", "expiresInDays"], async (values) => {
    setCreated(null);
    const key = await create.mutateAsync(values);
    setCreated({ id: key.id, name: key.name, key: key.key });
    form.reset();
    router.refresh();
  });
  const { errors, isSubmitting } = form.formState;
  return (
    <>
      <FormAlert message={revocation.error} />
      <FormAlert message={revocation.status} tone="ok" />
      {keys.length === 0 ? (
        <EmptyState title={t("emptyTitle")}>
          {t.rich("emptyText", { code: (chunks) => <code>{chunks}</code> })}
        </EmptyState>
      ) : (
        <TableScroll label={t("list")}>
          <table className="cards">
            <caption className="muted">{t("caption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("name")}</th>
                <th scope="col">{t("prefix")}</th>
                <th scope="col">{t("createdAt")}</th>
                <th scope="col">{t("expires")}</th>
                <th scope="col">{t("lastUsed")}</th>
                <th scope="col">{t("status")}</th>
              </tr>
            </thead>
            <tbody>
              {keys.map((key) => (
                <tr key={key.id}>
                  <td data-label={t("name")}>{key.name}</td>
                  <td data-label={t("prefix")}>
                    <code>{key.prefix}…</code>
                  </td>
                  <td data-label={t("createdAt")}>
                    <When value={key.createdAt} />
                  </td>
                  <td data-label={t("expires")}>
                    <When value={key.expiresAt} empty={ui("never")} />
                  </td>
                  <td data-label={t("lastUsed")}>
                    <When value={key.lastUsedAt} empty={ui("never")} />
                  </td>
                  <td data-label={t("status")}>
                    {key.revokedAt ? (
                      t("revoked")
                    ) : (
                      <button
                        type="button"
                        className="secondary"
                        aria-label={t("revokeLabel", { name: key.name })}
                        disabled={revocation.pending}
                        onClick={() =>
                          revocation.run(async () => {
                            await revoke.mutateAsync({ id: key.id });
                            if (created?.id === key.id) setCreated(null);
                            router.refresh();
                            return t("revokedNotice", { name: key.name });
                          })
                        }
                      >
                        {t("revoke")}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      {created && <CreatedKey key={created.id} name={created.name} secret={created.key} />}
      <form onSubmit={onSubmit} noValidate aria-label={t("createForm")}>
        <FormAlert message={formError} />
        <div className="grid-2">
          <Field id="key-name" label={t("keyName")} registration={form.register("name")} error={errors.name} />
          <Field
            id="key-expiry"
            label={t("expiry")}
            type="number"
            min={1}
            registration={form.register("expiresInDays", {
              setValueAs: (value: string) => (value === "" ? undefined : Number(value)),
            })}
            error={errors.expiresInDays}
          />
        </div>
        <button type="submit" disabled={isSubmitting}>
          {t("create")}
        </button>
      </form>
    </>
  );
}
