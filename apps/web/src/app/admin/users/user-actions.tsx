"use client";

import { useMutation } from "@tanstack/react-query";
import { useRef } from "react";
import { roles, type RoleName } from "@mastoc/api/permissions";
import { FormAlert } from "@/components/field";
import { useRefreshingAction } from "@/lib/forms";
import { useTRPC } from "@/lib/trpc";

type Target = {
  id: string;
  label: string;
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
}: {
  user: Target;
  canManage: boolean;
  canSetActive: boolean;
}) {
  const trpc = useTRPC();
  const dialog = useRef<HTMLDialogElement>(null);
  const setRole = useMutation(trpc.admin.setRole.mutationOptions());
  const activate = useMutation(trpc.admin.activate.mutationOptions());
  const deactivate = useMutation(trpc.admin.deactivate.mutationOptions());
  const unlock = useMutation(trpc.admin.unlock.mutationOptions());
  const verify = useMutation(trpc.admin.verifyEmail.mutationOptions());
  const resetTwoFactor = useMutation(trpc.admin.resetTwoFactor.mutationOptions());
  const remove = useMutation(trpc.admin.deleteUser.mutationOptions());
  const { error, pending, act } = useRefreshingAction();

  return (
    <>
      <FormAlert message={error} />
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
              onChange={(event) =>
                act(() => setRole.mutateAsync({ id: user.id, role: event.target.value as RoleName }))
              }
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
            onClick={() => {
              if (
                window.confirm(`Turn off two-factor authentication of ${user.label}? They are signed out and mailed.`)
              )
                act(() => resetTwoFactor.mutateAsync({ id: user.id }));
            }}
            aria-label={`Reset two-factor authentication of ${user.label}`}
          >
            Reset 2FA
          </button>
        )}
        {canManage && (
          <>
            <button
              type="button"
              className="danger"
              onClick={() => dialog.current?.showModal()}
              aria-label={`Delete ${user.label}`}
            >
              Delete
            </button>
            <dialog ref={dialog} aria-labelledby={`delete-title-${user.id}`}>
              <h2 id={`delete-title-${user.id}`}>Delete {user.label}?</h2>
              <p>Their profile, sessions, API keys and avatar are removed; their climbs stay without a creator.</p>
              <div className="row">
                <button
                  type="button"
                  className="danger"
                  onClick={() => {
                    dialog.current?.close();
                    act(() => remove.mutateAsync({ id: user.id }));
                  }}
                >
                  Delete for good
                </button>
                <button type="button" className="secondary" onClick={() => dialog.current?.close()}>
                  Cancel
                </button>
              </div>
            </dialog>
          </>
        )}
      </div>
    </>
  );
}
