"use client";

import { TRPCClientError } from "@trpc/client";
import { useLocale, useTranslations } from "next-intl";
import { localizedResolver } from "@mastoc/api/i18n/zod";
import { useRouter } from "next/navigation";
import { useCallback, useState } from "react";
import type { z } from "zod";
import type { FieldValues, Path, UseFormReturn, UseFormSetError } from "react-hook-form";

type ServerError = { message?: string; data?: { fieldErrors?: Record<string, string[]> | null } | null };

/** The two messages the browser itself may have to say, in the page's language. */
type Fallbacks = { unreachable: string; failed: string };

/**
 * What to tell the user about a failed call. A tRPC error without `data` never came from the API
 * (the request failed, or something other than the API answered), so its message — "Failed to
 * fetch", a JSON parse error — means nothing to them; neither does a fetch's own TypeError.
 */
export function serverMessage(error: unknown, fallbacks: Fallbacks): string {
  if (error instanceof TypeError) return fallbacks.unreachable;
  if (error instanceof TRPCClientError && !error.data) return fallbacks.unreachable;
  return (error as ServerError | null)?.message || fallbacks.failed;
}

/** The page's fallback messages, for `serverMessage` and the hooks below. */
function useFallbacks(): Fallbacks {
  const t = useTranslations("layout.ui");
  return { unreachable: t("unreachable"), failed: t("failed") };
}

/** `serverMessage` in the page's language. */
export function useServerMessage() {
  const fallbacks = useFallbacks();
  return (error: unknown) => serverMessage(error, fallbacks);
}

/**
 * TanStack Query holds a mutation while the browser says it is offline (its default network
 * mode), which would leave a button waiting in silence: an offline browser is told at once.
 */
const offline = () => typeof navigator !== "undefined" && !navigator.onLine;

/**
 * Puts a tRPC error's field messages next to the matching fields; anything else (or a field the
 * form does not have) becomes the form's own message. Returns the form-level message, if any.
 */
export function applyServerError<T extends FieldValues>(
  error: unknown,
  setError: UseFormSetError<T>,
  fields: readonly string[],
  fallbacks: Fallbacks,
): string | null {
  const { data } = (error ?? {}) as ServerError;
  const fieldErrors = data?.fieldErrors ?? {};
  let unplaced: string | null = null;
  for (const [field, messages] of Object.entries(fieldErrors)) {
    if (fields.includes(field)) setError(field as Path<T>, { type: "server", message: messages[0] });
    else unplaced = messages[0] ?? null;
  }
  const placed = Object.keys(fieldErrors).some((field) => fields.includes(field));
  return placed && !unplaced ? null : (unplaced ?? serverMessage(error, fallbacks));
}

/**
 * The submit handler of a form backed by a mutation: runs `action` with the validated values and
 * maps a server error onto the fields (or into `formError` for the form as a whole). A string
 * returned by `action` is the success message (`formStatus`).
 */
export function useServerSubmit<T extends FieldValues, TOutput = T>(
  form: UseFormReturn<T, unknown, TOutput>,
  fields: readonly Path<T>[],
  action: (values: TOutput) => Promise<string | void>,
) {
  const fallbacks = useFallbacks();
  const [formError, setFormError] = useState<string | null>(null);
  const [formStatus, setFormStatus] = useState<string | null>(null);
  const onSubmit = form.handleSubmit(async (values) => {
    setFormError(null);
    setFormStatus(null);
    if (offline()) return setFormError(fallbacks.unreachable);
    try {
      setFormStatus((await action(values)) || null);
    } catch (error) {
      setFormError(applyServerError(error, form.setError, fields, fallbacks));
    }
  });
  return { formError, formStatus, onSubmit };
}

/**
 * A button's call to the server outside a form (revoke, delete, change a role): `run` clears the
 * previous outcome, and a failure becomes `error` for a FormAlert instead of vanishing in a
 * rejected promise. A string returned by the action is the success message (`status`).
 */
export function useServerAction() {
  const { unreachable, failed } = useFallbacks();
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const run = useCallback(
    async (action: () => Promise<string | void>) => {
      setError(null);
      setStatus(null);
      if (offline()) return setError(unreachable);
      setPending(true);
      try {
        setStatus((await action()) || null);
      } catch (caught) {
        setError(serverMessage(caught, { unreachable, failed }));
      } finally {
        setPending(false);
      }
    },
    [unreachable, failed],
  );
  return { error, status, pending, run };
}

/**
 * `useServerAction` for buttons that change what the page shows (revoke, rename, delete, change a
 * role): `act` runs the call, then refreshes the page's server-rendered data; `done` is the notice
 * shown once it succeeded.
 */
export function useRefreshingAction() {
  const router = useRouter();
  const action = useServerAction();
  const act = (call: () => Promise<unknown>, done?: string) =>
    action.run(async () => {
      await call();
      router.refresh();
      return done;
    });
  return { ...action, act };
}

/**
 * A form's resolver for one of the API's schemas: the same checks as the server, with every
 * message (the schemas' own and zod's) in the page's language.
 */
export function useLocalizedResolver<Input extends FieldValues, Output>(schema: z.ZodType<Output, Input>) {
  return localizedResolver(schema, useLocale());
}
