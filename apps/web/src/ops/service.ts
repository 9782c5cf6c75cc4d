// The instance's life as a service: starting (the database awaited, migrations applied, workers
// started), ready, stopping. /healthz says the process serves; /readyz whether this instance should
// get traffic: it checks the database with a trivial query under a short timeout, that the
// database carries every migration this build ships, and that the password workers are up, and
// answers 503 from the first moment of a shutdown, so a load balancer stops routing here first.
import type { ServerResponse } from "node:http";
import { passwordWorkersUp } from "@mastoc/api";
import { getDatabase } from "@mastoc/db";

export type Phase = "starting" | "ready" | "stopping";

/** How long /readyz waits for the database's answer. */
const DATABASE_CHECK_TIMEOUT_MS = 2_000;

/** How long after a request met an unavailable database a page's 500 is taken for a consequence of it. */
const RECENT_OUTAGE_MS = 5_000;

type CheckResult = "ok" | "unavailable" | "timeout" | "behind" | "down" | "starting" | "stopping";
export type Readiness = { ready: boolean; checks: Record<string, CheckResult> };

export class ServiceState {
  phase: Phase = "starting";
  readonly startedAt = Date.now();
  /** Set once startup knows which migration this build needs last. */
  requiredMigration: string | null = null;
  /** When a request last found the database unavailable (0: never). */
  lastOutageAt = 0;
  #databaseCheck: Promise<CheckResult> | null = null;

  constructor(readonly version: string) {}

  health() {
    return {
      status: "ok",
      version: this.version,
      phase: this.phase,
      uptimeSeconds: Math.round((Date.now() - this.startedAt) / 1000),
    };
  }

  /** Whether a request found the database unavailable in the last few seconds. */
  outageRecent(): boolean {
    return Date.now() - this.lastOutageAt < RECENT_OUTAGE_MS;
  }

  /** One database query at a time serves every /readyz asking meanwhile. */
  #database(): Promise<CheckResult> {
    this.#databaseCheck ??= checkDatabase(this.requiredMigration).finally(() => (this.#databaseCheck = null));
    return this.#databaseCheck;
  }

  async readiness(): Promise<Readiness> {
    if (this.phase !== "ready") {
      return { ready: false, checks: { startup: this.phase === "starting" ? "starting" : "stopping" } };
    }
    const [database, migrations] = splitDatabaseCheck(await this.#database());
    const checks: Record<string, CheckResult> = {
      startup: "ok",
      database,
      migrations,
      passwordWorkers: passwordWorkersUp() ? "ok" : "down",
    };
    // A shutdown may have begun while the database answered.
    if (this.phase !== "ready") checks.startup = "stopping";
    return { ready: Object.values(checks).every((check) => check === "ok"), checks };
  }
}

/** The database's answer to the readiness query: its newest applied migration, or why there is none. */
async function checkDatabase(required: string | null): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<CheckResult>((resolve) => {
    timer = setTimeout(() => resolve("timeout"), DATABASE_CHECK_TIMEOUT_MS);
  });
  const query = getDatabase()
    .db.$queryRawUnsafe<{ version: string | null }[]>("SELECT MAX(version) AS version FROM schema_migrations")
    .then(([row]) => (!required || (row?.version && String(row.version) >= required) ? "ok" : "behind"))
    .catch(() => "unavailable" as const);
  try {
    return await Promise.race([query, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The one query answers two checks: the database (it answered) and the migrations (up to date). */
function splitDatabaseCheck(result: CheckResult): [CheckResult, CheckResult] {
  if (result === "ok") return ["ok", "ok"];
  if (result === "behind") return ["ok", "behind"];
  return [result, "unavailable"];
}

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "cache-control": "no-store",
    "content-length": Buffer.byteLength(text),
  });
  response.end(text);
}

/**
 * Pages and NextAuth are rendered by Next.js, which answers any failure of a page's data as a 500.
 * While the database is unavailable (a request met the outage moments ago), such an answer is a
 * 503 with Retry-After instead, as the API's are: the client learns that trying again later will
 * do, and a load balancer that this instance is not broken.
 */
export function unavailableInsteadOfFailed(response: ServerResponse, state: ServiceState, retryAfterSeconds: number) {
  const writeHead = response.writeHead;
  response.writeHead = function (this: ServerResponse, status: number, ...rest: unknown[]) {
    if (status === 500 && state.outageRecent()) {
      status = 503;
      this.setHeader("retry-after", String(retryAfterSeconds));
    }
    return (writeHead as (...args: unknown[]) => ServerResponse).call(this, status, ...rest);
  } as ServerResponse["writeHead"];
}
