// HTTP load with autocannon (its programmatic API). Every run fails on a non-2xx response or a
// connection error: a figure measured on errors would be a figure about the errors.
import autocannon from "autocannon";

export type Target = {
  url: string;
  method?: "GET" | "POST";
  headers?: Record<string, string>;
  body?: string;
  /** Bodies sent in turn, one per request (e.g. sign-ins of several accounts); overrides `body`. */
  bodies?: string[];
  /**
   * Headers of each connection, added to `headers`: connection i sends the i-th set on every
   * request (round robin when there are fewer sets than connections), e.g. a session of its own.
   */
  connectionHeaders?: Record<string, string>[];
};

/** A load run that did not get the answers it asked for: the bench exits non-zero. */
export class LoadFailure extends Error {
  override name = "LoadFailure";
}

type Run = {
  result: autocannon.Result;
  /** Completion times (performance.now(), ms) and latencies (ms) of the 2xx responses. */
  completions: { at: number; latency: number }[];
};

/** A request setup that gives each request the next body of the list, round robin. */
function nextBody(bodies: string[]) {
  let index = 0;
  return (request: autocannon.Request) => ({ ...request, body: bodies[index++ % bodies.length] });
}

/** Runs autocannon until its duration is over, or earlier once `stopWhen` (checked every 100 ms) holds. */
function run(
  label: string,
  target: Target,
  options: autocannon.Options,
  stopWhen?: (completions: Run["completions"]) => boolean,
): Promise<Run> {
  const completions: Run["completions"] = [];
  const statuses = new Map<number, number>();
  const headers = {
    ...target.headers,
    ...(target.body || target.bodies ? { "content-type": "application/json" } : {}),
  };
  let connection = 0;
  const connectionHeaders = target.connectionHeaders;
  return new Promise((resolve, reject) => {
    const check = stopWhen && setInterval(() => stopWhen(completions) && instance.stop(), 100);
    const instance = autocannon(
      {
        ...options,
        url: target.url,
        method: target.method ?? "GET",
        headers,
        ...(connectionHeaders?.length
          ? {
              setupClient: (client: autocannon.Client) =>
                client.setHeaders({ ...headers, ...connectionHeaders[connection++ % connectionHeaders.length] }),
            }
          : {}),
        body: target.body,
        ...(target.bodies ? { requests: [{ setupRequest: nextBody(target.bodies) }] } : {}),
      },
      (error, result) => {
        clearInterval(check);
        if (error) return reject(new LoadFailure(`${label}: ${String(error)}`));
        if (result.non2xx > 0 || result.errors > 0) {
          const codes = [...statuses].map(([status, count]) => `${count}× ${status}`).join(", ");
          return reject(
            new LoadFailure(
              `${label}: ${result.non2xx} non-2xx responses${codes ? ` (${codes})` : ""}, ${result.errors} errors (${result.timeouts} timeouts) against ${target.url}`,
            ),
          );
        }
        resolve({ result, completions });
      },
    );
    instance.on("response", (_client, status, _bytes, latency) => {
      if (status >= 200 && status < 300) completions.push({ at: performance.now(), latency });
      else statuses.set(status, (statuses.get(status) ?? 0) + 1);
    });
  });
}

export type Throughput = { rps: number; requests: number; p50: number; p99: number };

const percentile = (sorted: number[], q: number) =>
  sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;

/**
 * Closed-loop load: `connections` clients, each sending its next request as soon as it has an
 * answer. Responses count from `rampSeconds` after the start, once every connection has a request
 * in flight, to the end of the run, which comes on autocannon's one-second tick and not at a
 * response: a slow server is not charged for its first, empty round trip, nor a fast one helped.
 */
export async function throughput(
  label: string,
  target: Target,
  options: { connections: number; seconds: number; rampSeconds: number },
): Promise<Throughput> {
  const counting = performance.now() + options.rampSeconds * 1000;
  const { completions } = await run(label, target, {
    url: target.url,
    connections: options.connections,
    duration: options.seconds,
  });
  const ended = performance.now();
  const counted = completions.filter((entry) => entry.at >= counting);
  const latencies = counted.map((entry) => entry.latency).sort((a, b) => a - b);
  return {
    rps: (counted.length / (ended - counting)) * 1000,
    requests: counted.length,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
  };
}

export type Latencies = { p50: number; p99: number; max: number; samples: number };

/** Latency of a cheap request sent by one client at a fixed rate (open loop), over `seconds`. */
export async function probe(
  label: string,
  target: Target,
  options: { seconds: number; perSecond: number },
): Promise<Latencies> {
  const { completions } = await run(label, target, {
    url: target.url,
    connections: 1,
    connectionRate: options.perSecond,
    duration: options.seconds,
    // The latencies are read from each response; autocannon's own correction assumes whole-ms intervals.
    ignoreCoordinatedOmission: true,
  });
  const latencies = completions.map((entry) => entry.latency).sort((a, b) => a - b);
  return {
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    max: latencies.at(-1) ?? Number.NaN,
    samples: latencies.length,
  };
}

/**
 * Saturating load: `connections` concurrent requests, for `warmSeconds` and then at least `seconds`
 * and until `minimum` responses have completed after the warm-up (a slow machine still gets a
 * figure). The throughput counts the responses completed after the warm-up over the time from the
 * end of the warm-up to the end of the run, which comes on autocannon's one-second tick, not at a
 * response: a window that ended at a response would count one response too many.
 */
export async function storm(
  label: string,
  target: Target,
  options: { connections: number; warmSeconds: number; seconds: number; minimum: number; timeoutSeconds: number },
): Promise<{ rps: number; completed: number }> {
  const counting = performance.now() + options.warmSeconds * 1000;
  const countedIn = (completions: Run["completions"]) => completions.filter((entry) => entry.at >= counting).length;
  const { completions } = await run(
    label,
    target,
    {
      url: target.url,
      connections: options.connections,
      // A cap, for a server that stops answering: the run normally ends through stopWhen.
      duration: options.warmSeconds + options.seconds + options.timeoutSeconds,
      timeout: options.timeoutSeconds,
    },
    (completions) =>
      performance.now() >= counting + options.seconds * 1000 && countedIn(completions) >= options.minimum,
  );
  const ended = performance.now();
  const completed = countedIn(completions);
  if (completed < options.minimum) {
    throw new LoadFailure(`${label}: ${completed} responses in ${options.timeoutSeconds} s after the warm-up`);
  }
  return { rps: (completed / (ended - counting)) * 1000, completed };
}
