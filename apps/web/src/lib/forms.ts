"use client";

import { useState } from "react";
import type { FieldValues, Path, UseFormReturn, UseFormSetError } from "react-hook-form";

type ServerError = { message?: string; data?: { fieldErrors?: Record<string, string[]> | null } | null };

/**
 * Puts a tRPC error's field messages next to the matching fields; anything else (or a field the
 * form does not have) becomes the form's own message. Returns the form-level message, if any.
 */
export function applyServerError<T extends FieldValues>(
  error: unknown,
  setError: UseFormSetError<T>,
  fields: readonly string[],
): string | null {
  const { message, data } = (error ?? {}) as ServerError;
  const fieldErrors = data?.fieldErrors ?? {};
  let unplaced: string | null = null;
  for (const [field, messages] of Object.entries(fieldErrors)) {
    if (fields.includes(field)) setError(field as Path<T>, { type: "server", message: messages[0] });
    else unplaced = messages[0] ?? null;
  }
  const placed = Object.keys(fieldErrors).some((field) => fields.includes(field));
  return placed && !unplaced ? null : (unplaced ?? message ?? "Something went wrong. Try again.");
}

/**
 * The submit handler of a form backed by a mutation: runs `action` with the validated values and
 * maps a server error onto the fields (or into `formError` for the form as a whole).
 */
export function useServerSubmit<T extends FieldValues>(
  form: UseFormReturn<T>,
  fields: readonly string[],
  action: (values: T) => Promise<void>,
) {
  const [formError, setFormError] = useState<string | null>(null);
  const onSubmit = form.handleSubmit(async (values) => {
    setFormError(null);
    try {
      await action(values);
    } catch (error) {
      setFormError(applyServerError(error, form.setError, fields));
    }
  });
  return { formError, onSubmit };
}
