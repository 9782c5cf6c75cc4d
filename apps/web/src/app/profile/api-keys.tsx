"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { apiKeyCreateInput } from "@mastoc/api/schemas";
import type { RouterOutputs } from "@mastoc/api";
import { Field, FormAlert } from "@/components/field";
import { EmptyState, TableScroll } from "@/components/listing";
import { useServerAction, useServerSubmit } from "@/lib/forms";
import { When } from "@/components/when";
import { useTRPC } from "@/lib/trpc";

/** The key itself is in the create response only: it is shown here once, with a copy button. */
function CreatedKey({ name, secret }: { name: string; secret: string }) {
  const [copy, setCopy] = useState<"idle" | "copied" | "failed">("idle");
  return (
    <div className="alert ok" role="status">
      <p>
        Key <strong>{name}</strong> created. Copy it now: it will not be shown again.
      </p>
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
        {copy === "copied" ? "Copied" : "Copy key"}
      </button>
      {copy === "failed" && (
        <p className="error" role="alert">
          The browser did not allow copying: select the key and copy it yourself.
        </p>
      )}
    </div>
  );
}

export function ApiKeys({ keys }: { keys: RouterOutputs["apiKeys"]["list"] }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [created, setCreated] = useState<{ id: string; name: string; key: string } | null>(null);
  const form = useForm({ resolver: zodResolver(apiKeyCreateInput), defaultValues: { name: "" } });
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
        <EmptyState title="No API keys yet.">
          Create one below to let a script act as you: it sends the key in an <code>X-API-Key</code> header.
        </EmptyState>
      ) : (
        <TableScroll label="API key list">
          <table className="cards">
            <caption className="muted">Your API keys</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Starts with</th>
                <th scope="col">Created</th>
                <th scope="col">Expires</th>
                <th scope="col">Last used</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {keys.map((key) => (
                <tr key={key.id}>
                  <td data-label="Name">{key.name}</td>
                  <td data-label="Starts with">
                    <code>{key.prefix}…</code>
                  </td>
                  <td data-label="Created">
                    <When value={key.createdAt} />
                  </td>
                  <td data-label="Expires">
                    <When value={key.expiresAt} empty="Never" />
                  </td>
                  <td data-label="Last used">
                    <When value={key.lastUsedAt} empty="Never" />
                  </td>
                  <td data-label="Status">
                    {key.revokedAt ? (
                      "Revoked"
                    ) : (
                      <button
                        type="button"
                        className="secondary"
                        aria-label={`Revoke ${key.name}`}
                        disabled={revocation.pending}
                        onClick={() =>
                          revocation.run(async () => {
                            await revoke.mutateAsync({ id: key.id });
                            if (created?.id === key.id) setCreated(null);
                            router.refresh();
                            return `Key ${key.name} revoked.`;
                          })
                        }
                      >
                        Revoke
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
      <form onSubmit={onSubmit} noValidate aria-label="Create an API key">
        <FormAlert message={formError} />
        <div className="grid-2">
          <Field id="key-name" label="Key name" registration={form.register("name")} error={errors.name} />
          <Field
            id="key-expiry"
            label="Expires in days (optional)"
            type="number"
            min={1}
            registration={form.register("expiresInDays", {
              setValueAs: (value: string) => (value === "" ? undefined : Number(value)),
            })}
            error={errors.expiresInDays}
          />
        </div>
        <button type="submit" disabled={isSubmitting}>
          Create API key
        </button>
      </form>
    </>
  );
}
