"use client";

import { useMutation } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { twoFactorConfirmInput, twoFactorEnableInput, twoFactorSetupInput } from "@mastoc/api/schemas";
import { Field, FormAlert } from "@/components/field";
import { useLocalizedResolver, useServerSubmit } from "@/lib/forms";
import { useTRPC } from "@/lib/trpc";

type Status = { enabled: boolean; recoveryCodesLeft: number };
type Setup = { secret: string; otpauthUri: string; qrSvg: string };

/**
 * Two-factor authentication on the profile: enrol an authenticator app (QR code, then a code to
 * confirm), keep the recovery codes (copy or download, shown once), replace them, or turn it off.
 */
export function TwoFactor({ status }: { status: Status }) {
  const t = useTranslations("settings.twoFactor");
  const router = useRouter();
  const [setup, setSetup] = useState<Setup | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);

  if (codes) {
    return (
      <RecoveryCodes
        codes={codes}
        onDone={() => {
          setCodes(null);
          setSetup(null);
          router.refresh();
        }}
      />
    );
  }
  if (status.enabled) {
    return (
      <>
        <p>{t.rich("on", { count: status.recoveryCodesLeft, strong: (chunks) => <strong>{chunks}</strong> })}</p>
        <ConfirmForm
          id="regenerate"
          title={t("regenerateTitle")}
          explanation={t("regenerateText")}
          submit={t("regenerate")}
          onConfirmed={(recoveryCodes) => setCodes(recoveryCodes ?? [])}
        />
        <ConfirmForm
          id="disable-2fa"
          title={t("disableTitle")}
          explanation={t("disableText")}
          submit={t("disable")}
          danger
          onConfirmed={() => router.refresh()}
        />
      </>
    );
  }
  if (setup) return <EnableForm setup={setup} onEnabled={setCodes} onCancel={() => setSetup(null)} />;
  return <SetupForm onSetup={setSetup} />;
}

function SetupForm({ onSetup }: { onSetup: (setup: Setup) => void }) {
  const t = useTranslations("settings.twoFactor");
  const trpc = useTRPC();
  const form = useForm({ resolver: useLocalizedResolver(twoFactorSetupInput), defaultValues: { password: "" } });
  const begin = useMutation(trpc.auth.twoFactor.setup.mutationOptions());
  const { formError, onSubmit } = useServerSubmit(form, ["password"], async (values) => {
    onSetup(await begin.mutateAsync(values));
  });
  return (
    <form onSubmit={onSubmit} noValidate>
      <p>{t.rich("off", { strong: (chunks) => <strong>{chunks}</strong> })}</p>
      <FormAlert message={formError} />
      <Field
        id="setup-2fa-password"
        label={t("setupPassword")}
        type="password"
        autoComplete="current-password"
        registration={form.register("password")}
        error={form.formState.errors.password}
      />
      <button type="submit" disabled={form.formState.isSubmitting}>
        {t("setup")}
      </button>
    </form>
  );
}

function EnableForm({
  setup,
  onEnabled,
  onCancel,
}: {
  setup: Setup;
  onEnabled: (codes: string[]) => void;
  onCancel: () => void;
}) {
  const t = useTranslations("settings.twoFactor");
  const trpc = useTRPC();
  const form = useForm({ resolver: useLocalizedResolver(twoFactorEnableInput), defaultValues: { code: "" } });
  const enable = useMutation(trpc.auth.twoFactor.enable.mutationOptions());
  const { formError, onSubmit } = useServerSubmit(form, ["code"], async (values) => {
    onEnabled((await enable.mutateAsync(values)).recoveryCodes);
  });
  return (
    <form onSubmit={onSubmit} noValidate>
      <p>{t("scan")}</p>
      <img
        className="qr"
        src={`data:image/svg+xml;base64,${btoa(setup.qrSvg)}`}
        alt={t("qr")}
        width={200}
        height={200}
      />
      <p className="muted">
        {t.rich("cannotScan", {
          secret: setup.secret,
          code: (chunks) => <code data-testid="totp-secret">{chunks}</code>,
        })}
      </p>
      <FormAlert message={formError} />
      <Field
        id="enable-2fa-code"
        label={t("appCode")}
        autoComplete="one-time-code"
        inputMode="numeric"
        registration={form.register("code")}
        error={form.formState.errors.code}
      />
      <button type="submit" disabled={form.formState.isSubmitting}>
        {t("enable")}
      </button>{" "}
      <button type="button" className="secondary" onClick={onCancel}>
        {t("cancel")}
      </button>
    </form>
  );
}

function ConfirmForm({
  id,
  title,
  explanation,
  submit,
  danger = false,
  onConfirmed,
}: {
  id: string;
  title: string;
  explanation: string;
  submit: string;
  danger?: boolean;
  onConfirmed: (recoveryCodes?: string[]) => void;
}) {
  const t = useTranslations("settings.twoFactor");
  const trpc = useTRPC();
  const form = useForm({
    resolver: useLocalizedResolver(twoFactorConfirmInput),
    defaultValues: { password: "", code: "" },
  });
  const regenerate = useMutation(trpc.auth.twoFactor.regenerateRecoveryCodes.mutationOptions());
  const disable = useMutation(trpc.auth.twoFactor.disable.mutationOptions());
  const { formError, onSubmit } = useServerSubmit(form, ["password", "code"], async (values) => {
    if (danger) {
      await disable.mutateAsync(values);
      onConfirmed();
    } else {
      onConfirmed((await regenerate.mutateAsync(values)).recoveryCodes);
    }
  });
  return (
    <form onSubmit={onSubmit} noValidate aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{title}</h3>
      <p className="muted">{explanation}</p>
      <FormAlert message={formError} />
      <Field
        id={`${id}-password`}
        label={t("password")}
        type="password"
        autoComplete="current-password"
        registration={form.register("password")}
        error={form.formState.errors.password}
      />
      <Field
        id={`${id}-code`}
        label={t("codeOrRecovery")}
        autoComplete="one-time-code"
        registration={form.register("code")}
        error={form.formState.errors.code}
      />
      <button type="submit" className={danger ? "danger" : undefined} disabled={form.formState.isSubmitting}>
        {submit}
      </button>
    </form>
  );
}

function RecoveryCodes({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  const t = useTranslations("settings.twoFactor");
  const [copied, setCopied] = useState<string | null>(null);
  const text = `${t("fileHeading")}\n\n${codes.join("\n")}\n`;
  const download = () => {
    const url = URL.createObjectURL(new Blob([text], { type: "text/plain" }));
    const link = document.createElement("a");
    link.href = url;
    link.download = "mastoc-recovery-codes.txt";
    link.click();
    URL.revokeObjectURL(url);
  };
  return (
    <div>
      <FormAlert tone="ok" message={t("save")} />
      <p>{t("saveText")}</p>
      <ul className="recovery-codes" aria-label={t("codes")}>
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ul>
      <FormAlert tone="ok" message={copied} />
      <button
        type="button"
        className="secondary"
        onClick={() =>
          navigator.clipboard.writeText(text).then(
            () => setCopied(t("copied")),
            () => setCopied(t("copyRefused")),
          )
        }
      >
        {t("copy")}
      </button>{" "}
      <button type="button" className="secondary" onClick={download}>
        {t("download")}
      </button>{" "}
      <button type="button" onClick={onDone}>
        {t("done")}
      </button>
    </div>
  );
}
