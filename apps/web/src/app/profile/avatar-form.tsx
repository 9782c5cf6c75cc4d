"use client";

import { useMutation } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { Field, FormAlert } from "@/components/field";
import { useLocalizedResolver, useServerAction, useServerSubmit } from "@/lib/forms";
import { useTRPC } from "@/lib/trpc";

// The upload goes to a multipart route, not a procedure, so there is no shared schema: the route
// checks the size and recognises the image by its bytes; the form only needs a file to send.
const avatarInput = (choose: string) =>
  z.object({ file: z.custom<FileList>((value) => (value as FileList | undefined)?.length === 1, choose) });

// Every refusal of the avatar route is an RFC 9457 problem: `detail` says what is wrong.
type UploadFailure = { detail?: string } | null;

export function AvatarForm({ image }: { image: string | null }) {
  const t = useTranslations("settings.avatar");
  const trpc = useTRPC();
  const router = useRouter();
  const form = useForm({ resolver: useLocalizedResolver(avatarInput(t("choose"))) });
  const remove = useMutation(trpc.users.deleteAvatar.mutationOptions());
  const removal = useServerAction();
  const chosen = form.watch("file")?.[0];
  const [preview, setPreview] = useState<string | null>(null);

  useEffect(() => {
    if (!chosen) return setPreview(null);
    const url = URL.createObjectURL(chosen);
    setPreview(url);
    return () => URL.revokeObjectURL(url);
  }, [chosen]);

  const { formError, formStatus, onSubmit } = useServerSubmit(form, ["file"], async ({ file }) => {
    const body = new FormData();
    body.set("file", file[0]!);
    const response = await fetch("/api/users/me/avatar", { method: "POST", body });
    if (!response.ok) {
      const failure = (await response.json().catch(() => null)) as UploadFailure;
      throw new Error(failure?.detail ?? t("uploadFailed", { status: response.status }));
    }
    form.reset();
    router.refresh();
    return t("updated");
  });
  const { isSubmitting } = form.formState;

  return (
    <form onSubmit={onSubmit} noValidate>
      <FormAlert message={formError ?? removal.error} />
      <FormAlert message={formStatus ?? removal.status} tone="ok" />
      <div className="row">
        {(preview ?? image) && (
          <img className="avatar" src={preview ?? image!} alt={preview ? t("preview") : t("yours")} />
        )}
        <Field
          id="avatar-file"
          label={t("label")}
          type="file"
          accept="image/png,image/jpeg,image/webp,image/gif"
          registration={form.register("file")}
          error={form.formState.errors.file}
          hint={t("hint")}
        />
      </div>
      <div className="row">
        <button type="submit" disabled={isSubmitting}>
          {isSubmitting ? t("uploading") : t("upload")}
        </button>
        {image && (
          <button
            type="button"
            className="secondary"
            disabled={removal.pending}
            onClick={() =>
              removal.run(async () => {
                await remove.mutateAsync();
                router.refresh();
                return t("removed");
              })
            }
          >
            {t("remove")}
          </button>
        )}
      </div>
    </form>
  );
}
