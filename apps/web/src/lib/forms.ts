"use client";

import type { FieldValues, Path, UseFormSetError } from "react-hook-form";

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
