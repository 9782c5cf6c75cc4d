// The API context of a request reaching the gateway: the same createContext as everywhere, fed the
// request's credential (bearer token, API key, or else the NextAuth session cookie) and its origin.
import type { IncomingMessage } from "node:http";
import { createContext, type Context } from "@mastoc/api";
import { header, requestMeta, webSessionClaims } from "./request";

export async function requestContext(request: IncomingMessage, batchSize?: number): Promise<Context> {
  const headers = { get: (name: string) => header(request.headers, name) };
  return createContext({
    headers,
    meta: requestMeta(request.headers),
    // Cookie sessions are decoded only when no bearer credential or API key is presented.
    webSession:
      headers.get("authorization") || headers.get("x-api-key") ? null : await webSessionClaims(request.headers),
    ...(batchSize === undefined ? {} : { batchSize }),
  });
}
