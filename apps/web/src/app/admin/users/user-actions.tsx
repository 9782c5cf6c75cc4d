"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { roles, type RoleName } from "@mastoc/api/permissions";
import { ConfirmDialog, Dialog } from "@/components/dialog";
import { FormAlert } from "@/components/field";
import { useRefreshingAction } from "@/lib/forms";
import { useTRPC } from "@/lib/trpc";

type Target = {
  id: string;
  label: string;
  username: string;
  role: string;
  isActive: boolean;
  locked: boolean;
  emailVerified: boolean;
  twoFactor: boolean;
};

/** Row actions of the admin user list; each one is refused by the server too when not allowed. */
export function UserActions({
  user,
  canManage,
  canSetActive,
  afterDelete,
}: {
  user: Target;
  canManage: boolean;
  canSetActive: boolean;
  /** Where to go once the user is deleted (their own page is gone then); stay by default. */
  afterDelete?: string;
}) {
  const router = useRouter();
  const trpc = useTRPC();
  const [dialog, setDialog] = useState<"delete" | "reset2fa" | null>(null);
  const [newRole, setNewRole] = useState<RoleName | null>(null);
  const setRole = useMutation(trpc.admin.setRole.mutationOptions());
  const activate = useMutation(trpc.admin.activate.mutationOptions());
  const deactivate = useMutation(trpc.admin.deactivate.mutationOptions());
  const unlock = useMutation(trpc.admin.unlock.mutationOptions());
  const verify = useMutation(trpc.admin.verifyEmail.mutationOptions());
  const resetTwoFactor = useMutation(trpc.admin.resetTwoFactor.mutationOptions());
  const remove = useMutation(trpc.admin.deleteUser.mutationOptions());
  const { error, status, pending, act } = useRefreshingAction();

  return (
    <>
      <FormAlert message={error} />
      <FormAlert message={status} tone="ok" />
      <div className="row">
        {canManage && (
          <>
            <label htmlFor={`role-${user.id}`} className="visually-hidden">
              Role of {user.label}
            </label>
            <select
              id={`role-${user.id}`}
              value={user.role}
              disabled={pending}
              onChange={(event) => setNewRole(event.target.value as RoleName)}
            >
              {roles.map((role) => (
                <option key={role}>{role}</option>
              ))}
            </select>
          </>
        )}
        {canSetActive &&
          (user.isActive ? (
            <button
              type="button"
              className="secondary"
              onClick={() => act(() => deactivate.mutateAsync({ id: user.id }))}
              aria-label={`Deactivate ${user.label}`}
            >
              Deactivate
            </button>
          ) : (
            <button
              type="button"
              className="secondary"
              onClick={() => act(() => activate.mutateAsync({ id: user.id }))}
              aria-label={`Activate ${user.label}`}
            >
              Activate
            </button>
          ))}
        {canManage && user.locked && (
          <button
            type="button"
            className="secondary"
            onClick={() => act(() => unlock.mutateAsync({ id: user.id }))}
            aria-label={`Unlock ${user.label}`}
          >
            Unlock
          </button>
        )}
        {canManage && !user.emailVerified && (
          <button
            type="button"
            className="secondary"
            onClick={() => act(() => verify.mutateAsync({ id: user.id }))}
            aria-label={`Verify email of ${user.label}`}
          >
            Verify email
          </button>
        )}
        {canManage && user.twoFactor && (
          <button
            type="button"
            className="secondary"
            onClick={() => setDialog("reset2fa")}
            aria-label={`Reset two-factor authentication of ${user.label}`}
          >
            Reset 2FA
          </button>
        )}
        {canManage && (
          <button
            type="button"
            className="danger"
            onClick={() => setDialog("delete")}
            aria-label={`Delete ${user.label}`}
          >
            Delete
          </button>
        )}
      </div>
      {canManage && (
        <>
          <RoleDialog
            user={user}
            role={newRole}
            onClose={() => setNewRole(null)}
            onConfirm={(role) => act(() => setRole.mutateAsync({ id: user.id, role }), `${user.label} is now ${role}.`)}
          />
          <ConfirmDialog
            open={dialog === "reset2fa"}
            onClose={() => setDialog(null)}
            title={`Turn off two-factor authentication of ${user.label}?`}
            confirmLabel="Turn it off"
            danger
            onConfirm={() =>
              act(
                () => resetTwoFactor.mutateAsync({ id: user.id }),
                `Two-factor authentication of ${user.label} is off.`,
              )
            }
          >
            <p>
              They are signed out everywhere and mailed; they sign in with their password alone until they set it up
              again.
            </p>
          </ConfirmDialog>
          <ConfirmDialog
            open={dialog === "delete"}
            onClose={() => setDialog(null)}
            title={`Delete ${user.label}?`}
            confirmLabel="Delete for good"
            danger
            onConfirm={() =>
              act(async () => {
                await remove.mutateAsync({ id: user.id });
                if (afterDelete) router.push(afterDelete);
              }, `${user.label} is deleted.`)
            }
          >
            <p>Their profile, sessions, API keys and avatar are removed; their climbs stay without a creator.</p>
          </ConfirmDialog>
        </>
      )}
    </>
  );
}

/**
 * Confirms a role change, naming the user and the new role. Granting ADMIN also asks for the
 * username typed out, so that one stray selection cannot make an administrator.
 */
function RoleDialog({
  user,
  role,
  onClose,
  onConfirm,
}: {
  user: Target;
  role: RoleName | null;
  onClose: () => void;
  onConfirm: (role: RoleName) => void;
}) {
  const [typed, setTyped] = useState("");
  const needsTyping = role === "ADMIN";
  const ready = !needsTyping || typed.trim().toLowerCase() === user.username.toLowerCase();
  return (
    <Dialog
      open={role !== null}
      onClose={() => {
        setTyped("");
        onClose();
      }}
      title={`Make ${user.label} ${role === "ADMIN" ? "an administrator" : (role ?? "")}?`}
    >
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          if (!role || !ready) return;
          onConfirm(role);
          onClose();
        }}
      >
        <p>
          {user.label} goes from {user.role} to <strong>{role}</strong>.{" "}
          {role === "ADMIN"
            ? "Administrators can change every account, role and climb."
            : role === "MODERATOR"
              ? "Moderators can edit any climb and deactivate users."
              : "Their extra permissions end at once."}
        </p>
        {needsTyping && (
          <div className="field">
            <label htmlFor={`confirm-admin-${user.id}`}>
              Type the username <strong>{user.username}</strong> to confirm
            </label>
            <input
              id={`confirm-admin-${user.id}`}
              autoComplete="off"
              spellCheck={false}
              value={typed}
              onChange={(event) => setTyped(event.target.value)}
            />
          </div>
        )}
        <div className="row">
          <button type="submit" className={role === "ADMIN" ? "danger" : undefined} disabled={!ready}>
            Change role to {role}
          </button>
          <button type="button" className="secondary" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}
