// Links a request's Node header object to what the request log learns while it is answered (the
// caller's user id, found by createContext). Kept apart from the logger so that modules Next.js
// also bundles (identity/request.ts) can read it without pulling in the server's logging.
import type { RequestTrace } from "@mastoc/api";

const traces = new WeakMap<object, RequestTrace>();

export function startTrace(headers: object): RequestTrace {
  const trace: RequestTrace = { userId: null };
  traces.set(headers, trace);
  return trace;
}

/** The trace of the request whose headers these are, if the gateway started one. */
export function traceOf(headers: object): RequestTrace | undefined {
  return traces.get(headers);
}
