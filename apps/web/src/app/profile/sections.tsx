"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import { signOut } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useEffect, useState, type FormEvent } from "react";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { apiKeyCreateInput, changePasswordInput, deleteMeInput, updateMeInput } from "@mastoc/api/schemas";
import type { RouterOutputs } from "@mastoc/api";
import { Field, FormAlert } from "@/components/field";
import { PasswordStrength } from "@/components/password-strength";
import { applyServerError, useServerSubmit } from "@/lib/forms";
import { useTRPC } from "@/lib/trpc";
import { formatDateTime } from "@/lib/format";

type ProfileValues = { name: string; username: string; firstName: string; lastName: string };

export function ProfileForm({
  user,
}: {
  user: { name: string | null; username: string; firstName: string | null; lastName: string | null };
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const [saved, setSaved] = useState<string | null>(null);
  const form = useForm<ProfileValues>({
    resolver: zodResolver(updateMeInput) as never,
    defaultValues: {
      name: user.name ?? "",
      username: user.username,
      firstName: user.firstName ?? "",
      lastName: user.lastName ?? "",
    },
  });
  const update = useMutation(trpc.users.updateMe.mutationOptions());
  const { errors, isSubmitting } = form.formState;
  const { formError, onSubmit } = useServerSubmit(
    form,
    ["name", "username", "firstName", "lastName"],
    async (values) => {
      setSaved(null);
      await update.mutateAsync(values);
      setSaved("Profile saved.");
      router.refresh();
    },
  );
  return (
    <form onSubmit={onSubmit} noValidate>
      <FormAlert message={formError} />
      <FormAlert message={saved} tone="ok" />
      <div className="grid-2">
        <Field id="profile-name" label="Display name" registration={form.register("name")} error={errors.name} />
        <Field
          id="profile-username"
          label="Username"
          autoComplete="username"
          registration={form.register("username")}
          error={errors.username}
        />
        <Field
          id="profile-first"
          label="First name"
          autoComplete="given-name"
          registration={form.register("firstName")}
          error={errors.firstName}
        />
        <Field
          id="profile-last"
          label="Last name"
          autoComplete="family-name"
          registration={form.register("lastName")}
          error={errors.lastName}
        />
      </div>
      <button type="submit" disabled={isSubmitting}>
        {isSubmitting ? "Saving…" : "Save"}
      </button>
    </form>
  );
}

export function AvatarForm({ image }: { image: string | null }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<string | null>(null);
  const [message, setMessage] = useState<{ text: string; tone: "ok" | "error" } | null>(null);
  const [pending, setPending] = useState(false);
  const remove = useMutation(trpc.users.deleteAvatar.mutationOptions());

  useEffect(() => {
    if (!file) return setPreview(null);
    const url = URL.createObjectURL(file);
    setPreview(url);
    return () => URL.revokeObjectURL(url);
  }, [file]);

  async function upload(event: FormEvent) {
    event.preventDefault();
    if (!file) return setMessage({ text: "Choose an image first.", tone: "error" });
    setPending(true);
    setMessage(null);
    const body = new FormData();
    body.set("file", file);
    const response = await fetch("/api/users/me/avatar", { method: "POST", body });
    setPending(false);
    if (!response.ok) {
      const error = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
      return setMessage({ text: error?.error?.message ?? "The upload failed.", tone: "error" });
    }
    setFile(null);
    setMessage({ text: "Avatar updated.", tone: "ok" });
    router.refresh();
  }

  return (
    <form onSubmit={upload} noValidate>
      <FormAlert message={message?.text ?? null} tone={message?.tone} />
      <div className="row">
        {(preview ?? image) && (
          <img className="avatar" src={preview ?? image!} alt={preview ? "Preview of the new avatar" : "Your avatar"} />
        )}
        <div className="field">
          <label htmlFor="avatar-file">Avatar image</label>
          <input
            id="avatar-file"
            type="file"
            accept="image/png,image/jpeg,image/webp,image/gif"
            onChange={(event) => setFile(event.target.files?.[0] ?? null)}
          />
          <span className="muted">PNG, JPEG, WebP or GIF, up to 2 MB.</span>
        </div>
      </div>
      <div className="row">
        <button type="submit" disabled={pending || !file}>
          {pending ? "Uploading…" : "Upload avatar"}
        </button>
        {image && (
          <button
            type="button"
            className="secondary"
            disabled={remove.isPending}
            onClick={async () => {
              await remove.mutateAsync();
              setMessage({ text: "Avatar removed.", tone: "ok" });
              router.refresh();
            }}
          >
            Remove avatar
          </button>
        )}
      </div>
    </form>
  );
}

type PasswordValues = z.input<typeof changePasswordInput>;

export function ChangePasswordForm({ email, username }: { email: string; username: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [changed, setChanged] = useState<string | null>(null);
  const form = useForm<PasswordValues>({
    resolver: zodResolver(changePasswordInput),
    defaultValues: { currentPassword: "", newPassword: "" },
  });
  const change = useMutation(trpc.auth.changePassword.mutationOptions());
  const { errors, isSubmitting } = form.formState;
  const { formError, onSubmit } = useServerSubmit(form, ["currentPassword", "newPassword"], async (values) => {
    setChanged(null);
    const result = await change.mutateAsync(values);
    form.reset();
    setChanged(`Password changed. ${result.otherSessionsRevoked} other session(s) were signed out.`);
    router.refresh();
  });
  const newPassword = form.watch("newPassword");
  return (
    <form onSubmit={onSubmit} noValidate>
      <FormAlert message={formError} />
      <FormAlert message={changed} tone="ok" />
      <Field
        id="current-password"
        label="Current password"
        type="password"
        autoComplete="current-password"
        registration={form.register("currentPassword")}
        error={errors.currentPassword}
      />
      <Field
        id="new-password"
        label="New password"
        type="password"
        autoComplete="new-password"
        registration={form.register("newPassword")}
        error={errors.newPassword}
        hint={<PasswordStrength password={newPassword ?? ""} email={email} username={username} />}
      />
      <button type="submit" disabled={isSubmitting}>
        {isSubmitting ? "Changing…" : "Change password"}
      </button>
    </form>
  );
}

export function Sessions({ sessions }: { sessions: RouterOutputs["auth"]["sessions"] }) {
  const trpc = useTRPC();
  const router = useRouter();
  const revoke = useMutation(trpc.auth.revokeSession.mutationOptions());
  const revokeAll = useMutation(trpc.auth.logoutAll.mutationOptions());
  return (
    <>
      <table>
        <caption className="muted">Where your account is signed in</caption>
        <thead>
          <tr>
            <th scope="col">Client</th>
            <th scope="col">IP</th>
            <th scope="col">Signed in</th>
            <th scope="col">Last used</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {sessions.map((session) => (
            <tr key={session.id}>
              <td>
                {session.kind === "web" ? "Browser" : "CLI / API"}{" "}
                {session.userAgent ? `— ${session.userAgent.slice(0, 60)}` : ""}
                {session.current && <span className="badge"> this session</span>}
              </td>
              <td>{session.ip ?? "—"}</td>
              <td>{formatDateTime(session.createdAt)}</td>
              <td>{formatDateTime(session.lastUsedAt)}</td>
              <td>
                {!session.current && (
                  <button
                    type="button"
                    className="secondary"
                    disabled={revoke.isPending}
                    onClick={async () => {
                      await revoke.mutateAsync({ id: session.id });
                      router.refresh();
                    }}
                  >
                    Revoke
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        <button
          type="button"
          className="danger"
          disabled={revokeAll.isPending}
          onClick={async () => {
            await revokeAll.mutateAsync();
            await signOut({ callbackUrl: "/login" });
          }}
        >
          Sign out everywhere
        </button>
      </p>
    </>
  );
}

type KeyValues = { name: string; expiresInDays: string };

export function ApiKeys({ keys }: { keys: RouterOutputs["apiKeys"]["list"] }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [created, setCreated] = useState<{ name: string; key: string } | null>(null);
  const [copied, setCopied] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<KeyValues>({ defaultValues: { name: "", expiresInDays: "" } });
  const create = useMutation(trpc.apiKeys.create.mutationOptions());
  const revoke = useMutation(trpc.apiKeys.revoke.mutationOptions());
  const onSubmit = form.handleSubmit(async (values) => {
    setFormError(null);
    const input = { name: values.name, expiresInDays: values.expiresInDays ? Number(values.expiresInDays) : undefined };
    const parsed = apiKeyCreateInput.safeParse(input);
    if (!parsed.success) {
      for (const issue of parsed.error.issues)
        form.setError(issue.path[0] as keyof KeyValues, { message: issue.message });
      return;
    }
    try {
      const key = await create.mutateAsync(parsed.data);
      setCreated({ name: key.name, key: key.key });
      setCopied(false);
      form.reset();
      router.refresh();
    } catch (error) {
      setFormError(applyServerError(error, form.setError, ["name", "expiresInDays"]));
    }
  });
  return (
    <>
      {created && (
        <div className="alert ok" role="status">
          <p>
            Key <strong>{created.name}</strong> created. Copy it now: it will not be shown again.
          </p>
          <p className="key" data-testid="new-api-key">
            {created.key}
          </p>
          <button
            type="button"
            className="secondary"
            onClick={async () => {
              await navigator.clipboard.writeText(created.key).catch(() => undefined);
              setCopied(true);
            }}
          >
            {copied ? "Copied" : "Copy key"}
          </button>
        </div>
      )}
      <form onSubmit={onSubmit} noValidate>
        <FormAlert message={formError} />
        <div className="grid-2">
          <Field
            id="key-name"
            label="Key name"
            registration={form.register("name")}
            error={form.formState.errors.name}
          />
          <Field
            id="key-expiry"
            label="Expires in days (optional)"
            type="number"
            min={1}
            registration={form.register("expiresInDays")}
            error={form.formState.errors.expiresInDays}
          />
        </div>
        <button type="submit" disabled={form.formState.isSubmitting}>
          Create API key
        </button>
      </form>
      {keys.length > 0 && (
        <table>
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
                <td>{key.name}</td>
                <td>
                  <code>{key.prefix}…</code>
                </td>
                <td>{formatDateTime(key.createdAt)}</td>
                <td>{formatDateTime(key.expiresAt)}</td>
                <td>{formatDateTime(key.lastUsedAt)}</td>
                <td>
                  {key.revokedAt ? (
                    "Revoked"
                  ) : (
                    <button
                      type="button"
                      className="secondary"
                      aria-label={`Revoke ${key.name}`}
                      onClick={async () => {
                        await revoke.mutateAsync({ id: key.id });
                        router.refresh();
                      }}
                    >
                      Revoke
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

type DeleteValues = z.input<typeof deleteMeInput>;

export function DeleteAccount() {
  const trpc = useTRPC();
  const form = useForm<DeleteValues>({ resolver: zodResolver(deleteMeInput), defaultValues: { password: "" } });
  const remove = useMutation(trpc.users.deleteMe.mutationOptions());
  const { formError, onSubmit } = useServerSubmit(form, ["password"], async (values) => {
    if (!window.confirm("Delete your account for good? Your climbs stay, shown as made by a deleted user.")) return;
    await remove.mutateAsync(values);
    await signOut({ callbackUrl: "/login" });
  });
  return (
    <form onSubmit={onSubmit} noValidate>
      <p className="muted">
        This removes your profile, sessions, API keys and avatar. Your climbs stay, without your name.
      </p>
      <FormAlert message={formError} />
      <Field
        id="delete-password"
        label="Password to confirm"
        type="password"
        autoComplete="current-password"
        registration={form.register("password")}
        error={form.formState.errors.password}
      />
      <button type="submit" className="danger" disabled={form.formState.isSubmitting}>
        Delete my account
      </button>
    </form>
  );
}
