import type { InputHTMLAttributes, ReactNode } from "react";
import type { FieldError, UseFormRegisterReturn } from "react-hook-form";

/** A labelled input with its inline error, wired for assistive technology. */
export function Field({
  id,
  label,
  error,
  registration,
  hint,
  ...input
}: {
  id: string;
  label: string;
  error?: FieldError;
  registration: UseFormRegisterReturn;
  hint?: ReactNode;
} & InputHTMLAttributes<HTMLInputElement>) {
  const describedBy = [error ? `${id}-error` : null, hint ? `${id}-hint` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} aria-invalid={Boolean(error)} aria-describedby={describedBy} {...input} {...registration} />
      {hint && (
        <span id={`${id}-hint`} className="muted">
          {hint}
        </span>
      )}
      {error && (
        <span id={`${id}-error`} className="error">
          {error.message}
        </span>
      )}
    </div>
  );
}

export function FormAlert({ message, tone = "error" }: { message: string | null; tone?: "error" | "ok" }) {
  if (!message) return null;
  return (
    <p className={`alert ${tone}`} role={tone === "error" ? "alert" : "status"}>
      {message}
    </p>
  );
}
