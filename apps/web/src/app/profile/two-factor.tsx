"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { twoFactorConfirmInput, twoFactorEnableInput, twoFactorSetupInput } from "@mastoc/api/schemas";
import { Field, FormAlert } from "@/components/field";
import { useServerSubmit } from "@/lib/forms";
import { useTRPC } from "@/lib/trpc";

type Status = { enabled: boolean; recoveryCodesLeft: number };
type Setup = { secret: string; otpauthUri: string; qrSvg: string };

/**
 * Two-factor authentication on the profile: enrol an authenticator app (QR code, then a code to
 * confirm), keep the recovery codes (copy or download, shown once), replace them, or turn it off.
 */
export function TwoFactor({ status }: { status: Status }) {
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
        <p>
          Two-factor authentication is <strong>on</strong>: signing in asks for a code from your authenticator app.{" "}
          {status.recoveryCodesLeft} recovery code{status.recoveryCodesLeft === 1 ? "" : "s"} left.
        </p>
        <ConfirmForm
          id="regenerate"
          title="New recovery codes"
          explanation="Your current recovery codes stop working."
          submit="Generate new recovery codes"
          onConfirmed={(recoveryCodes) => setCodes(recoveryCodes ?? [])}
        />
        <ConfirmForm
          id="disable-2fa"
          title="Turn off two-factor authentication"
          explanation="Your other sessions are signed out."
          submit="Turn off"
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
  const trpc = useTRPC();
  const form = useForm({ resolver: zodResolver(twoFactorSetupInput), defaultValues: { password: "" } });
  const begin = useMutation(trpc.auth.twoFactor.setup.mutationOptions());
  const { formError, onSubmit } = useServerSubmit(form, ["password"], async (values) => {
    onSetup(await begin.mutateAsync(values));
  });
  return (
    <form onSubmit={onSubmit} noValidate>
      <p>
        Two-factor authentication is <strong>off</strong>. Turn it on to ask for a code from an authenticator app (such
        as Aegis, Google Authenticator or 1Password) after your password.
      </p>
      <FormAlert message={formError} />
      <Field
        id="setup-2fa-password"
        label="Password to confirm"
        type="password"
        autoComplete="current-password"
        registration={form.register("password")}
        error={form.formState.errors.password}
      />
      <button type="submit" disabled={form.formState.isSubmitting}>
        Set up two-factor authentication
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
  const trpc = useTRPC();
  const form = useForm({ resolver: zodResolver(twoFactorEnableInput), defaultValues: { code: "" } });
  const enable = useMutation(trpc.auth.twoFactor.enable.mutationOptions());
  const { formError, onSubmit } = useServerSubmit(form, ["code"], async (values) => {
    onEnabled((await enable.mutateAsync(values)).recoveryCodes);
  });
  return (
    <form onSubmit={onSubmit} noValidate>
      <p>Scan this QR code with your authenticator app, then enter the code it shows.</p>
      <img
        className="qr"
        src={`data:image/svg+xml;base64,${btoa(setup.qrSvg)}`}
        alt="QR code of your two-factor secret"
        width={200}
        height={200}
      />
      <p className="muted">
        Cannot scan it? Enter this key instead: <code data-testid="totp-secret">{setup.secret}</code>
      </p>
      <FormAlert message={formError} />
      <Field
        id="enable-2fa-code"
        label="Code from the app"
        autoComplete="one-time-code"
        inputMode="numeric"
        registration={form.register("code")}
        error={form.formState.errors.code}
      />
      <button type="submit" disabled={form.formState.isSubmitting}>
        Turn on
      </button>{" "}
      <button type="button" className="secondary" onClick={onCancel}>
        Cancel
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
  const trpc = useTRPC();
  const form = useForm({ resolver: zodResolver(twoFactorConfirmInput), defaultValues: { password: "", code: "" } });
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
        label="Password"
        type="password"
        autoComplete="current-password"
        registration={form.register("password")}
        error={form.formState.errors.password}
      />
      <Field
        id={`${id}-code`}
        label="Code from the app, or a recovery code"
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
  const [copied, setCopied] = useState<string | null>(null);
  const text = `mastoc recovery codes (each works once)\n\n${codes.join("\n")}\n`;
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
      <FormAlert tone="ok" message="Save your recovery codes now." />
      <p>
        Each code works once, instead of a code from the app, if you lose your phone. They are shown only now: copy or
        download them and keep them somewhere safe.
      </p>
      <ul className="recovery-codes" aria-label="Recovery codes">
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
            () => setCopied("Copied to the clipboard."),
            () => setCopied("Copying is not allowed here: select the codes or download them."),
          )
        }
      >
        Copy
      </button>{" "}
      <button type="button" className="secondary" onClick={download}>
        Download
      </button>{" "}
      <button type="button" onClick={onDone}>
        I have saved them
      </button>
    </div>
  );
}
