"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import {
  browserSupportsWebAuthn,
  startRegistration,
  type PublicKeyCredentialCreationOptionsJSON,
} from "@simplewebauthn/browser";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { passkeyNameSchema, passkeyRegistrationResponseSchema } from "@mastoc/api/schemas";
import { ConfirmDialog, Dialog } from "@/components/dialog";
import { Field, FormAlert } from "@/components/field";
import { EmptyState, TableScroll } from "@/components/listing";
import { When } from "@/components/when";
import { useRefreshingAction, useServerSubmit } from "@/lib/forms";
import { useTRPC } from "@/lib/trpc";

type Passkey = { id: string; name: string; createdAt: Date; lastUsedAt: Date | null; backedUp: boolean };

const nameInput = z.object({ name: passkeyNameSchema });

/** The account's passkeys: add one (named), rename or delete them. */
export function Passkeys({ passkeys }: { passkeys: Passkey[] }) {
  return (
    <>
      <p className="muted">
        A passkey signs you in with your device&apos;s screen lock or security key instead of your password and code.
      </p>
      {passkeys.length === 0 ? (
        <EmptyState title="No passkeys yet">Add one below to sign in without your password.</EmptyState>
      ) : (
        <TableScroll label="Your passkeys">
          <table className="cards">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Added</th>
                <th scope="col">Last used</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
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
  const trpc = useTRPC();
  const rename = useMutation(trpc.passkeys.rename.mutationOptions());
  const remove = useMutation(trpc.passkeys.delete.mutationOptions());
  const { error, pending, act } = useRefreshingAction();
  const [dialog, setDialog] = useState<"rename" | "delete" | null>(null);
  return (
    <tr>
      <td data-label="Name">
        {passkey.name}
        {passkey.backedUp && <div className="muted">Synced</div>}
        <FormAlert message={error} />
      </td>
      <td data-label="Added">
        <When value={passkey.createdAt} />
      </td>
      <td data-label="Last used">
        <When value={passkey.lastUsedAt} empty="Never" />
      </td>
      <td className="actions">
        <div className="row">
          <button
            type="button"
            className="secondary"
            disabled={pending}
            aria-label={`Rename passkey ${passkey.name}`}
            onClick={() => setDialog("rename")}
          >
            Rename
          </button>
          <button
            type="button"
            className="danger"
            disabled={pending}
            aria-label={`Delete passkey ${passkey.name}`}
            onClick={() => setDialog("delete")}
          >
            Delete
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
          title={`Delete the passkey “${passkey.name}”?`}
          confirmLabel="Delete passkey"
          danger
          onConfirm={() => act(() => remove.mutateAsync({ id: passkey.id }))}
        >
          <p>It will no longer sign you in. Remove it from the device too.</p>
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
  const form = useForm({ resolver: zodResolver(nameInput), defaultValues: { name } });
  return (
    <Dialog
      open={open}
      onClose={() => {
        onClose();
        form.reset({ name });
      }}
      title={`Rename the passkey “${name}”`}
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
          label="New name"
          registration={form.register("name")}
          error={form.formState.errors.name}
        />
        <div className="row">
          <button type="submit">Rename</button>
          <button type="button" className="secondary" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function AddPasskey() {
  const trpc = useTRPC();
  const router = useRouter();
  const [supported, setSupported] = useState(true);
  useEffect(() => setSupported(browserSupportsWebAuthn()), []);
  const options = useMutation(trpc.passkeys.registrationOptions.mutationOptions());
  const register = useMutation(trpc.passkeys.register.mutationOptions());
  const form = useForm({ resolver: zodResolver(nameInput), defaultValues: { name: "" } });
  const { formError, formStatus, onSubmit } = useServerSubmit(form, ["name"], async ({ name }) => {
    let response;
    try {
      // The server's options and the browser's answer are WebAuthn JSON, as the library defines them.
      const optionsJSON = (await options.mutateAsync()) as unknown as PublicKeyCredentialCreationOptionsJSON;
      response = (await startRegistration({ optionsJSON })) as unknown as z.input<
        typeof passkeyRegistrationResponseSchema
      >;
    } catch (error) {
      if (error instanceof Error && error.name === "NotAllowedError") return "Adding the passkey was cancelled.";
      if (error instanceof Error && error.name === "InvalidStateError")
        return "This device already holds one of your passkeys.";
      throw error;
    }
    await register.mutateAsync({ name, response });
    form.reset();
    router.refresh();
    return `Passkey "${name}" added.`;
  });
  if (!supported) return <p className="muted">This browser cannot create passkeys.</p>;
  return (
    <form onSubmit={onSubmit} noValidate aria-labelledby="add-passkey-title">
      <h3 id="add-passkey-title">Add a passkey</h3>
      <FormAlert message={formError} />
      <FormAlert message={formStatus} tone="ok" />
      <Field
        id="passkey-name"
        label="Name"
        hint="Where it lives, e.g. “Work laptop” or “Blue security key”."
        registration={form.register("name")}
        error={form.formState.errors.name}
      />
      <button type="submit" disabled={form.formState.isSubmitting}>
        {form.formState.isSubmitting ? "Waiting for your device…" : "Add a passkey"}
      </button>
    </form>
  );
}
