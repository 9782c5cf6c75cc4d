"use client";

import {
  browserSupportsWebAuthn,
  startRegistration,
  type PublicKeyCredentialCreationOptionsJSON,
} from "@simplewebauthn/browser";
import { useMutation } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { passkeyNameSchema, passkeyRegistrationResponseSchema } from "@mastoc/api/schemas";
import { ConfirmDialog, Dialog } from "@/components/dialog";
import { Field, FormAlert } from "@/components/field";
import { EmptyState, TableScroll } from "@/components/listing";
import { When } from "@/components/when";
import { useLocalizedResolver, useRefreshingAction, useServerSubmit } from "@/lib/forms";
import { useTRPC } from "@/lib/trpc";

type Passkey = { id: string; name: string; createdAt: Date; lastUsedAt: Date | null; backedUp: boolean };

const nameInput = z.object({ name: passkeyNameSchema });

/** The account's passkeys: add one (named), rename or delete them. */
export function Passkeys({ passkeys }: { passkeys: Passkey[] }) {
  const t = useTranslations("settings.passkeys");
  const ui = useTranslations("layout.ui");
  return (
    <>
      <p className="muted">{t("intro")}</p>
      {passkeys.length === 0 ? (
        <EmptyState title={t("emptyTitle")}>{t("emptyText")}</EmptyState>
      ) : (
        <TableScroll label={t("list")}>
          <table className="cards">
            <thead>
              <tr>
                <th scope="col">{t("name")}</th>
                <th scope="col">{t("added")}</th>
                <th scope="col">{t("lastUsed")}</th>
                <th scope="col">
                  <span className="visually-hidden">{ui("actions")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {passkeys.map((passkey) => (
                <PasskeyRow key={passkey.id} passkey={passkey} />
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      <AddPasskey />
    </>
  );
}

function PasskeyRow({ passkey }: { passkey: Passkey }) {
  const t = useTranslations("settings.passkeys");
  const ui = useTranslations("layout.ui");
  const trpc = useTRPC();
  const rename = useMutation(trpc.passkeys.rename.mutationOptions());
  const remove = useMutation(trpc.passkeys.delete.mutationOptions());
  const { error, pending, act } = useRefreshingAction();
  const [dialog, setDialog] = useState<"rename" | "delete" | null>(null);
  return (
    <tr>
      <td data-label={t("name")}>
        {passkey.name}
        {passkey.backedUp && <div className="muted">{t("synced")}</div>}
        <FormAlert message={error} />
      </td>
      <td data-label={t("added")}>
        <When value={passkey.createdAt} />
      </td>
      <td data-label={t("lastUsed")}>
        <When value={passkey.lastUsedAt} empty={ui("never")} />
      </td>
      <td className="actions">
        <div className="row">
          <button
            type="button"
            className="secondary"
            disabled={pending}
            aria-label={t("renameLabel", { name: passkey.name })}
            onClick={() => setDialog("rename")}
          >
            {t("rename")}
          </button>
          <button
            type="button"
            className="danger"
            disabled={pending}
            aria-label={t("deleteLabel", { name: passkey.name })}
            onClick={() => setDialog("delete")}
          >
            {t("delete")}
          </button>
        </div>
        <RenamePasskey
          open={dialog === "rename"}
          onClose={() => setDialog(null)}
          name={passkey.name}
          onRename={(name) => act(() => rename.mutateAsync({ id: passkey.id, name }))}
        />
        <ConfirmDialog
          open={dialog === "delete"}
          onClose={() => setDialog(null)}
          title={t("deleteTitle", { name: passkey.name })}
          confirmLabel={t("deleteConfirm")}
          danger
          onConfirm={() => act(() => remove.mutateAsync({ id: passkey.id }))}
        >
          <p>{t("deleteText")}</p>
        </ConfirmDialog>
      </td>
    </tr>
  );
}

/** The rename dialog: the name is checked with the API's own schema before it is sent. */
function RenamePasskey({
  open,
  onClose,
  name,
  onRename,
}: {
  open: boolean;
  onClose: () => void;
  name: string;
  onRename: (name: string) => void;
}) {
  const t = useTranslations("settings.passkeys");
  const form = useForm({ resolver: useLocalizedResolver(nameInput), defaultValues: { name } });
  return (
    <Dialog
      open={open}
      onClose={() => {
        onClose();
        form.reset({ name });
      }}
      title={t("renameTitle", { name })}
    >
      <form
        noValidate
        onSubmit={form.handleSubmit((values) => {
          onRename(values.name);
          onClose();
        })}
      >
        <Field
          id={`rename-${name}`}
          label={t("newName")}
          registration={form.register("name")}
          error={form.formState.errors.name}
        />
        <div className="row">
          <button type="submit">{t("rename")}</button>
          <button type="button" className="secondary" onClick={onClose}>
            {t("cancel")}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function AddPasskey() {
  const t = useTranslations("settings.passkeys");
  const trpc = useTRPC();
  const router = useRouter();
  const [supported, setSupported] = useState(true);
  useEffect(() => setSupported(browserSupportsWebAuthn()), []);
  const options = useMutation(trpc.passkeys.registrationOptions.mutationOptions());
  const register = useMutation(trpc.passkeys.register.mutationOptions());
  const form = useForm({ resolver: useLocalizedResolver(nameInput), defaultValues: { name: "" } });
  const { formError, formStatus, onSubmit } = useServerSubmit(form, ["name"], async ({ name }) => {
    let response;
    try {
      // The server's options and the browser's answer are WebAuthn JSON, as the library defines them.
      const optionsJSON = (await options.mutateAsync()) as unknown as PublicKeyCredentialCreationOptionsJSON;
      response = (await startRegistration({ optionsJSON })) as unknown as z.input<
        typeof passkeyRegistrationResponseSchema
      >;
    } catch (error) {
      if (error instanceof Error && error.name === "NotAllowedError") return t("cancelled");
      if (error instanceof Error && error.name === "InvalidStateError") return t("already");
      throw error;
    }
    await register.mutateAsync({ name, response });
    form.reset();
    router.refresh();
    return t("addedNotice", { name });
  });
  if (!supported) return <p className="muted">{t("unsupported")}</p>;
  return (
    <form onSubmit={onSubmit} noValidate aria-labelledby="add-passkey-title">
      <h3 id="add-passkey-title">{t("add")}</h3>
      <FormAlert message={formError} />
      <FormAlert message={formStatus} tone="ok" />
      <Field
        id="passkey-name"
        label={t("name")}
        hint={t("nameHint")}
        registration={form.register("name")}
        error={form.formState.errors.name}
      />
      <button type="submit" disabled={form.formState.isSubmitting}>
        {form.formState.isSubmitting ? t("waiting") : t("add")}
      </button>
    </form>
  );
}
