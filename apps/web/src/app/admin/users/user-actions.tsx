"use client";

import { useMutation } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
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
  const t = useTranslations("admin.userActions");
  const roleNames = useTranslations("layout.roles");
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
              {t("roleOf", { name: user.label })}
            </label>
            <select
              id={`role-${user.id}`}
              value={user.role}
              disabled={pending}
              onChange={(event) => setNewRole(event.target.value as RoleName)}
            >
              {roles.map((role) => (
                <option key={role} value={role}>
                  {roleNames(role)}
                </option>
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
              aria-label={t("deactivateLabel", { name: user.label })}
            >
              {t("deactivate")}
            </button>
          ) : (
            <button
              type="button"
              className="secondary"
              onClick={() => act(() => activate.mutateAsync({ id: user.id }))}
              aria-label={t("activateLabel", { name: user.label })}
            >
              {t("activate")}
            </button>
          ))}
        {canManage && user.locked && (
          <button
            type="button"
            className="secondary"
            onClick={() => act(() => unlock.mutateAsync({ id: user.id }))}
            aria-label={t("unlockLabel", { name: user.label })}
          >
            {t("unlock")}
          </button>
        )}
        {canManage && !user.emailVerified && (
          <button
            type="button"
            className="secondary"
            onClick={() => act(() => verify.mutateAsync({ id: user.id }))}
            aria-label={t("verifyLabel", { name: user.label })}
          >
            {t("verify")}
          </button>
        )}
        {canManage && user.twoFactor && (
          <button
            type="button"
            className="secondary"
            onClick={() => setDialog("reset2fa")}
            aria-label={t("reset2faLabel", { name: user.label })}
          >
            {t("reset2fa")}
          </button>
        )}
        {canManage && (
          <button
            type="button"
            className="danger"
            onClick={() => setDialog("delete")}
            aria-label={t("deleteLabel", { name: user.label })}
          >
            {t("delete")}
          </button>
        )}
      </div>
      {canManage && (
        <>
          <RoleDialog
            user={user}
            role={newRole}
            onClose={() => setNewRole(null)}
            onConfirm={(role) =>
              act(() => setRole.mutateAsync({ id: user.id, role }), t("roleChanged", { name: user.label, role }))
            }
          />
          <ConfirmDialog
            open={dialog === "reset2fa"}
            onClose={() => setDialog(null)}
            title={t("reset2faTitle", { name: user.label })}
            confirmLabel={t("reset2faConfirm")}
            danger
            onConfirm={() =>
              act(() => resetTwoFactor.mutateAsync({ id: user.id }), t("reset2faDone", { name: user.label }))
            }
          >
            <p>{t("reset2faText")}</p>
          </ConfirmDialog>
          <ConfirmDialog
            open={dialog === "delete"}
            onClose={() => setDialog(null)}
            title={t("deleteTitle", { name: user.label })}
            confirmLabel={t("deleteConfirm")}
            danger
            onConfirm={() =>
              act(
                async () => {
                  await remove.mutateAsync({ id: user.id });
                  if (afterDelete) router.push(afterDelete);
                },
                t("deleted", { name: user.label }),
              )
            }
          >
            <p>{t("deleteText")}</p>
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
  const t = useTranslations("admin.userActions");
  const roleNames = useTranslations("layout.roles");
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
      title={t("roleTitle", { name: user.label, role: role ?? "USER" })}
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
          {role &&
            t.rich("roleFromTo", {
              name: user.label,
              from: roleNames(user.role as RoleName),
              to: roleNames(role),
              strong: (chunks) => <strong>{chunks}</strong>,
            })}{" "}
          {role && t(`roleEffects.${role}`)}
        </p>
        {needsTyping && (
          <div className="field">
            <label htmlFor={`confirm-admin-${user.id}`}>
              {t.rich("typeUsername", { username: user.username, strong: (chunks) => <strong>{chunks}</strong> })}
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
            {t("changeRole", { role: role ? roleNames(role) : "" })}
          </button>
          <button type="button" className="secondary" onClick={onClose}>
            {t("cancel")}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
