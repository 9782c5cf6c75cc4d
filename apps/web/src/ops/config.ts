// How the portal runs as a service: shutdown grace, metrics exposure, log level. Validated once at
// start; a wrong value stops the start with a message naming the variable.
import { z } from "zod";
import { ConfigError } from "@mastoc/api";
import { logLevel, type LogLevel } from "./log";

const schema = z.object({
  /** Seconds requests in flight get to finish after SIGTERM/SIGINT before their connections are closed. */
  SHUTDOWN_GRACE_SECONDS: z.coerce.number().int().min(0).max(3600).default(20),
  /**
   * Seconds between SIGTERM and closing the listener, during which /readyz already answers 503 and
   * requests are still served: time for a load balancer to notice and stop routing here.
   */
  SHUTDOWN_DELAY_SECONDS: z.coerce.number().int().min(0).max(600).default(0),
  /** Bearer token that /metrics on the portal's port requires; unset: /metrics is not served there. */
  METRICS_TOKEN: z.string().min(16, "must be at least 16 characters (e.g. `openssl rand -hex 24`)").optional(),
  /** A separate port serving /metrics only, on METRICS_HOST (default 127.0.0.1). */
  METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  METRICS_HOST: z.string().min(1).default("127.0.0.1"),
});

export type OpsConfig = z.infer<typeof schema> & { LOG_LEVEL: LogLevel };

export function opsConfig(env: NodeJS.ProcessEnv = process.env): OpsConfig {
  const blank = (value: string | undefined) => (value?.trim() === "" ? undefined : value);
  const parsed = schema.safeParse({
    SHUTDOWN_GRACE_SECONDS: blank(env.SHUTDOWN_GRACE_SECONDS),
    SHUTDOWN_DELAY_SECONDS: blank(env.SHUTDOWN_DELAY_SECONDS),
    METRICS_TOKEN: blank(env.METRICS_TOKEN),
    METRICS_PORT: blank(env.METRICS_PORT),
    METRICS_HOST: blank(env.METRICS_HOST),
  });
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  try {
    return { ...parsed.data, LOG_LEVEL: logLevel(env) };
  } catch (error) {
    throw new ConfigError(`Invalid configuration:\n  ${(error as Error).message}`);
  }
}
