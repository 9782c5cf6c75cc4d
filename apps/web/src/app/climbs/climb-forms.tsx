"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { useForm, type UseFormReturn } from "react-hook-form";
import type { z } from "zod";
import { climbCreateInput } from "@mastoc/api/schemas";
import { ConfirmDialog } from "@/components/dialog";
import { Field, FormAlert } from "@/components/field";
import { useLocalizedResolver, useServerAction, useServerSubmit } from "@/lib/forms";
import { useTRPC } from "@/lib/trpc";

type Values = z.input<typeof climbCreateInput>;
type Parsed = z.output<typeof climbCreateInput>;
const FIELDS = ["name", "grade", "description"] as const;

function useClimbForm(defaultValues: Values) {
  return useForm<Values, unknown, Parsed>({ resolver: useLocalizedResolver(climbCreateInput), defaultValues });
}

function ClimbFields({ form, prefix }: { form: UseFormReturn<Values, unknown, Parsed>; prefix: string }) {
  const t = useTranslations("climbs");
  const { errors } = form.formState;
  return (
    <div className="grid-2">
      <Field id={`${prefix}-name`} label={t("name")} registration={form.register("name")} error={errors.name} />
      <Field
        id={`${prefix}-grade`}
        label={t("grade")}
        registration={form.register("grade")}
        error={errors.grade}
        hint={t("gradeHint")}
      />
      <div className="field span-all">
        <label htmlFor={`${prefix}-description`}>{t("description")}</label>
        <textarea
          id={`${prefix}-description`}
          rows={4}
          aria-invalid={Boolean(errors.description)}
          aria-describedby={errors.description ? `${prefix}-description-error` : undefined}
          {...form.register("description")}
        />
        {errors.description && (
          <span id={`${prefix}-description-error`} className="error">
            {errors.description.message}
          </span>
        )}
      </div>
    </div>
  );
}

export function CreateClimb() {
  const t = useTranslations("climbs");
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const form = useClimbForm({ name: "", grade: "", description: "" });
  const create = useMutation(trpc.climbs.create.mutationOptions());
  const [duplicate, setDuplicate] = useState<string | null>(null);
  const name = form.watch("name");
  // A climb of the same name is allowed (two areas may both have a "La Marie-Rose"), but said.
  useEffect(() => {
    const wanted = name.trim().toLowerCase();
    if (wanted.length < 2) return setDuplicate(null);
    let current = true;
    const timer = setTimeout(() => {
      queryClient
        .fetchQuery(trpc.climbs.list.queryOptions({ query: name.trim(), pageSize: 100 }))
        .then((page) => {
          const same = page.items.find((climb) => climb.name.trim().toLowerCase() === wanted);
          if (current) setDuplicate(same ? `${same.name} (${same.grade})` : null);
        })
        .catch(() => current && setDuplicate(null));
    }, 300);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [name, queryClient, trpc]);
  const { formError, formStatus, onSubmit } = useServerSubmit(form, FIELDS, async (values) => {
    const climb = await create.mutateAsync(values);
    form.reset();
    router.refresh();
    return t("created", { name: climb.name });
  });
  return (
    <form onSubmit={onSubmit} noValidate>
      <FormAlert message={formError} />
      <FormAlert message={formStatus} tone="ok" />
      <ClimbFields form={form} prefix="new-climb" />
      {duplicate && (
        <p className="alert warning" role="status">
          {t("duplicate", { climb: duplicate })}
        </p>
      )}
      <button type="submit" disabled={form.formState.isSubmitting}>
        {t("create")}
      </button>
    </form>
  );
}

export function ClimbActions({
  climb,
}: {
  climb: { id: string; name: string; grade: string; description: string | null };
}) {
  const t = useTranslations("climbs");
  const trpc = useTRPC();
  const router = useRouter();
  const [editing, setEditing] = useState(false);
  const form = useClimbForm({ name: climb.name, grade: climb.grade, description: climb.description ?? "" });
  const update = useMutation(trpc.climbs.update.mutationOptions());
  const remove = useMutation(trpc.climbs.delete.mutationOptions());
  const removal = useServerAction();
  const [confirming, setConfirming] = useState(false);
  const { formError, onSubmit } = useServerSubmit(form, FIELDS, async (values) => {
    await update.mutateAsync({ id: climb.id, ...values });
    setEditing(false);
    router.refresh();
  });
  if (editing) {
    return (
      <form onSubmit={onSubmit} noValidate aria-label={t("editLabel", { name: climb.name })}>
        <FormAlert message={formError} />
        <ClimbFields form={form} prefix={`edit-${climb.id}`} />
        <div className="row">
          <button type="submit" disabled={form.formState.isSubmitting}>
            {t("save")}
          </button>
          <button type="button" className="secondary" onClick={() => setEditing(false)}>
            {t("cancel")}
          </button>
        </div>
      </form>
    );
  }
  return (
    <>
      <FormAlert message={removal.error} />
      <div className="row">
        <button
          type="button"
          className="secondary"
          aria-label={t("editLabel", { name: climb.name })}
          onClick={() => setEditing(true)}
        >
          {t("edit")}
        </button>
        <button
          type="button"
          className="danger"
          aria-label={t("deleteLabel", { name: climb.name })}
          disabled={removal.pending}
          onClick={() => setConfirming(true)}
        >
          {t("delete")}
        </button>
      </div>
      <ConfirmDialog
        open={confirming}
        onClose={() => setConfirming(false)}
        title={t("deleteTitle", { name: climb.name })}
        confirmLabel={t("deleteConfirm")}
        danger
        onConfirm={() =>
          void removal.run(async () => {
            await remove.mutateAsync({ id: climb.id });
            router.refresh();
          })
        }
      >
        <p>{t("deleteText")}</p>
      </ConfirmDialog>
    </>
  );
}
