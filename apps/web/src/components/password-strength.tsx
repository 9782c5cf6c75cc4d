"use client";

import { useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useDeferredValue } from "react";
import { useTRPCClient } from "@/lib/trpc";

/** Live strength feedback from `auth.passwordStrength` (the same estimator the server enforces). */
export function PasswordStrength({
  password,
  email,
  username,
}: {
  password: string;
  email?: string;
  username?: string;
}) {
  const t = useTranslations("auth.strength");
  const client = useTRPCClient();
  const deferred = useDeferredValue(password);
  const input = { password: deferred, email: email || undefined, username: username || undefined };
  // A POST (the procedure is a mutation), so the password never appears in a URL.
  const { data } = useQuery({
    queryKey: ["auth.passwordStrength", input],
    queryFn: () => client.auth.passwordStrength.mutate(input),
    enabled: deferred.length > 0,
    gcTime: 0,
  });
  if (!password || !data) return null;
  const label = t(`labels.${data.score}`);
  return (
    <span className="strength" aria-live="polite">
      <meter min={0} max={4} low={2} high={3} optimum={4} value={data.score} aria-label={t("score")} />{" "}
      <span className={data.acceptable ? "ok-text" : "error"}>
        {data.acceptable ? label : t("notAccepted", { label })}
      </span>
      {!data.acceptable && (data.warning || data.suggestions[0]) && (
        <span className="muted"> {[data.warning, data.suggestions[0]].filter(Boolean).join(" ")}</span>
      )}
    </span>
  );
}
