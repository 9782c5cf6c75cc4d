"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import { roles, type RoleName } from "@mastoc/api/permissions";
import { useTRPC } from "@/lib/trpc";

type Target = { id: string; label: string; role: string; isActive: boolean; locked: boolean; emailVerified: boolean };

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
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const dialog = useRef<HTMLDialogElement>(null);
  const options = {
    onSuccess: () => router.refresh(),
    onError: (caught: { message: string }) => setError(caught.message),
  };
  const setRole = useMutation(trpc.admin.setRole.mutationOptions(options));
  const activate = useMutation(trpc.admin.activate.mutationOptions(options));
  const deactivate = useMutation(trpc.admin.deactivate.mutationOptions(options));
  const unlock = useMutation(trpc.admin.unlock.mutationOptions(options));
  const verify = useMutation(trpc.admin.verifyEmail.mutationOptions(options));
  const remove = useMutation(trpc.admin.deleteUser.mutationOptions(options));
  const run = (action: () => void) => {
    setError(null);
    action();
  };

  return (
    <div className="row">
      {canManage && (
        <>
          <label htmlFor={`role-${user.id}`} className="visually-hidden">
            Role of {user.label}
          </label>
          <select
            id={`role-${user.id}`}
            value={user.role}
            disabled={setRole.isPending}
            onChange={(event) => run(() => setRole.mutate({ id: user.id, role: event.target.value as RoleName }))}
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
            onClick={() => run(() => deactivate.mutate({ id: user.id }))}
            aria-label={`Deactivate ${user.label}`}
          >
            Deactivate
          </button>
        ) : (
          <button
            type="button"
            className="secondary"
            onClick={() => run(() => activate.mutate({ id: user.id }))}
            aria-label={`Activate ${user.label}`}
          >
            Activate
          </button>
        ))}
      {canManage && user.locked && (
        <button
          type="button"
          className="secondary"
          onClick={() => run(() => unlock.mutate({ id: user.id }))}
          aria-label={`Unlock ${user.label}`}
        >
          Unlock
        </button>
      )}
      {canManage && !user.emailVerified && (
        <button
          type="button"
          className="secondary"
          onClick={() => run(() => verify.mutate({ id: user.id }))}
          aria-label={`Verify email of ${user.label}`}
        >
          Verify email
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
                  run(() => remove.mutate({ id: user.id }));
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
      {error && (
        <span className="error" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}
