"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useState, type FormEvent } from "react";
import type { RouterOutputs } from "@mastoc/api";
import { ConfirmDialog } from "@/components/dialog";
import { FormAlert } from "@/components/field";
import { EmptyState, TableScroll } from "@/components/listing";
import { useServerAction } from "@/lib/forms";
import { useTRPC } from "@/lib/trpc";

type Client = RouterOutputs["oauth"]["listClients"][number];
type GrantType =
  "authorization_code" | "refresh_token" | "urn:ietf:params:oauth:grant-type:device_code" | "client_credentials";
/** Each grant type's key in the catalog (the device code's is its URN's last part). */
const GRANT_KEYS = {
  authorization_code: "authorization_code",
  refresh_token: "refresh_token",
  "urn:ietf:params:oauth:grant-type:device_code": "device_code",
  client_credentials: "client_credentials",
} as const satisfies Record<GrantType, string>;
const GRANTS = Object.keys(GRANT_KEYS) as GrantType[];
const grantKey = (grant: string) => (Object.hasOwn(GRANT_KEYS, grant) ? GRANT_KEYS[grant as GrantType] : null);

const lines = (value: FormDataEntryValue | null) =>
  String(value ?? "")
    .split(/\s+/)
    .map((line) => line.trim())
    .filter(Boolean);

export function Clients({ clients }: { clients: Client[] }) {
  const t = useTranslations("admin.clients");
  const trpc = useTRPC();
  const router = useRouter();
  const create = useMutation(trpc.oauth.createClient.mutationOptions());
  const update = useMutation(trpc.oauth.updateClient.mutationOptions());
  const remove = useMutation(trpc.oauth.deleteClient.mutationOptions());
  const action = useServerAction();
  const [secret, setSecret] = useState<{ id: string; secret: string } | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<Client | null>(null);

  const onCreate = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    void action.run(async () => {
      const created = await create.mutateAsync({
        name: String(data.get("name") ?? ""),
        type: data.get("type") === "confidential" ? "confidential" : "public",
        redirect_uris: lines(data.get("redirect_uris")),
        grant_types: GRANTS.filter((grant) => data.get(`grant:${grant}`)),
        first_party: data.get("first_party") === "on",
      });
      setSecret(created.client_secret ? { id: created.client_id, secret: created.client_secret } : null);
      form.reset();
      router.refresh();
      return t("created", { name: created.name, id: created.client_id });
    });
  };

  const onSave = (client: Client) => (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    void action.run(async () => {
      const saved = await update.mutateAsync({
        id: client.client_id,
        name: String(data.get("name") ?? ""),
        redirect_uris: lines(data.get("redirect_uris")),
        first_party: data.get("first_party") === "on",
      });
      setEditing(null);
      router.refresh();
      return t("saved", { name: saved.name });
    });
  };

  return (
    <>
      <FormAlert message={action.error} />
      <FormAlert message={action.status} tone="ok" />
      {secret && (
        <div className="alert ok" role="status">
          <p>{t("secretTitle")}</p>
          <p className="key" data-testid="client-secret">
            {secret.secret}
          </p>
        </div>
      )}
      {clients.length === 0 ? (
        <EmptyState title={t("empty")}>{t("intro")}</EmptyState>
      ) : (
        <TableScroll label={t("caption")}>
          <table className="cards">
            <caption className="muted">{t("caption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("name")}</th>
                <th scope="col">{t("clientId")}</th>
                <th scope="col">{t("type")}</th>
                <th scope="col">{t("redirectUris")}</th>
                <th scope="col">{t("grantTypes")}</th>
                <th scope="col">
                  <span className="visually-hidden">{t("edit")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {clients.map((client) => (
                <tr key={client.client_id}>
                  <td data-label={t("name")}>
                    {editing === client.client_id ? (
                      <form onSubmit={onSave(client)} aria-label={t("editLabel", { name: client.name })}>
                        <label htmlFor={`name-${client.client_id}`}>{t("name")}</label>
                        <input id={`name-${client.client_id}`} name="name" defaultValue={client.name} required />
                        <label htmlFor={`uris-${client.client_id}`}>{t("redirectUris")}</label>
                        <textarea
                          id={`uris-${client.client_id}`}
                          name="redirect_uris"
                          defaultValue={client.redirect_uris.join("\n")}
                          rows={3}
                        />
                        <label>
                          <input type="checkbox" name="first_party" defaultChecked={client.first_party} />{" "}
                          {t("firstParty")}
                        </label>
                        <button type="submit" disabled={action.pending}>
                          {t("save")}
                        </button>
                      </form>
                    ) : (
                      client.name
                    )}
                  </td>
                  <td data-label={t("clientId")}>
                    <code>{client.client_id}</code>
                  </td>
                  <td data-label={t("type")}>
                    {t(`typeNames.${client.type}`)}
                    {client.first_party ? `, ${t("firstPartyShort")}` : ""}
                  </td>
                  <td data-label={t("redirectUris")}>
                    {client.redirect_uris.map((uri) => (
                      <div key={uri}>
                        <code>{uri}</code>
                      </div>
                    ))}
                  </td>
                  <td data-label={t("grantTypes")}>
                    {client.grant_types
                      .map((grant) => {
                        const key = grantKey(grant);
                        return key ? t(`grantNames.${key}`) : grant;
                      })
                      .join(", ")}
                  </td>
                  <td>
                    <div className="row">
                      <button
                        type="button"
                        className="secondary"
                        aria-label={t("editLabel", { name: client.name })}
                        onClick={() => setEditing(editing === client.client_id ? null : client.client_id)}
                      >
                        {t("edit")}
                      </button>
                      {client.client_id !== "mastoc-cli" && (
                        <button
                          type="button"
                          className="danger"
                          aria-label={t("deleteLabel", { name: client.name })}
                          onClick={() => setDeleting(client)}
                        >
                          {t("delete")}
                        </button>
                      )}
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      <ConfirmDialog
        open={deleting !== null}
        onClose={() => setDeleting(null)}
        title={deleting ? t("deleteTitle", { name: deleting.name }) : ""}
        confirmLabel={t("delete")}
        danger
        onConfirm={() => {
          const target = deleting;
          setDeleting(null);
          if (!target) return;
          void action.run(async () => {
            await remove.mutateAsync({ id: target.client_id });
            router.refresh();
            return t("deleted", { name: target.name });
          });
        }}
      >
        <p>{t("deleteBody")}</p>
      </ConfirmDialog>
      <form onSubmit={onCreate} aria-label={t("createLabel")}>
        <h2>{t("createLabel")}</h2>
        <div className="grid-2">
          <div className="field">
            <label htmlFor="client-name">{t("name")}</label>
            <input id="client-name" name="name" required maxLength={100} />
          </div>
          <div className="field">
            <label htmlFor="client-type">{t("type")}</label>
            <select id="client-type" name="type" defaultValue="public">
              <option value="public">{t("typeNames.public")}</option>
              <option value="confidential">{t("typeNames.confidential")}</option>
            </select>
          </div>
        </div>
        <div className="field">
          <label htmlFor="client-uris">{t("redirectUris")}</label>
          <textarea id="client-uris" name="redirect_uris" rows={3} aria-describedby="client-uris-hint" />
          <p id="client-uris-hint" className="muted">
            {t("redirectHint")}
          </p>
        </div>
        <fieldset>
          <legend>{t("grantTypes")}</legend>
          {GRANTS.map((grant) => (
            <label key={grant}>
              <input
                type="checkbox"
                name={`grant:${grant}`}
                defaultChecked={grant === "authorization_code" || grant === "refresh_token"}
              />{" "}
              {t(`grantNames.${GRANT_KEYS[grant]}`)}
            </label>
          ))}
        </fieldset>
        <label>
          <input type="checkbox" name="first_party" /> {t("firstParty")}
        </label>
        <button type="submit" disabled={action.pending}>
          {t("create")}
        </button>
      </form>
    </>
  );
}
