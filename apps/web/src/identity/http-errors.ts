import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";

/** A JSON error response for plain HTTP routes: the tRPC code's status and its message, never a stack. */
export function errorResponse(error: unknown): Response {
  if (error instanceof TRPCError) {
    return Response.json(
      { error: { code: error.code, message: error.message } },
      { status: getHTTPStatusCodeFromError(error), headers: { "cache-control": "no-store" } },
    );
  }
  console.error("[http]", error);
  return Response.json({ error: { code: "INTERNAL_SERVER_ERROR", message: "Internal server error" } }, { status: 500 });
}

export function httpError(code: TRPCError["code"], message: string): Response {
  return errorResponse(new TRPCError({ code, message }));
}
