import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter, createContext, MAX_BATCH_SIZE, retryAfterOf } from "@mastoc/api";
import { requestMeta, webSessionClaims } from "@/server/request";

function handler(request: Request) {
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req: request,
    router: appRouter,
    maxBatchSize: MAX_BATCH_SIZE,
    createContext: async ({ info }) =>
      createContext({
        headers: request.headers,
        meta: requestMeta(request.headers),
        webSession: await webSessionClaims(request.headers),
        batchSize: info.calls.length,
      }),
    responseMeta({ errors }) {
      const retryAfter = errors.map(retryAfterOf).find((seconds) => seconds !== null);
      const headers = new Headers({ "cache-control": "no-store" });
      if (retryAfter) headers.set("retry-after", String(retryAfter));
      return { headers };
    },
    onError({ error, path }) {
      if (error.code === "INTERNAL_SERVER_ERROR") console.error(`[trpc] ${path ?? "?"}:`, error.cause ?? error);
    },
  });
}

export { handler as GET, handler as POST };
