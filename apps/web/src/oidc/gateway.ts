// What the gateway calls for /oidc/* and /device: the provider, its interactions (interactions.ts)
// and a rate limit on device-code entries (guessing user codes).
import type { IncomingMessage, ServerResponse } from "node:http";
import { countEvent, ensureCliClient, getConfig, requestLocale, said, sendProblem, signingKeys } from "@mastoc/api";
import { getDatabase } from "@mastoc/db";
import { clientIp } from "../identity/request";
import { logger } from "../ops/log";
import { interactionRoute, serveInteraction } from "./interactions";
import { mountProvider, OIDC_PREFIX, type MountedProvider } from "./provider";

/** Device-code entries one address may make in DEVICE_WINDOW_SECONDS. */
const DEVICE_ATTEMPTS = 20;
const DEVICE_WINDOW_SECONDS = 600;

export async function createOidcHandler() {
  const db = getDatabase().db;
  const config = getConfig();
  // Made at start, so every instance finds them; the library itself loads on the first request.
  await ensureCliClient(db);
  await signingKeys(db, config);
  const log = logger();
  let mounting: Promise<MountedProvider> | null = null;
  const mounted = () => {
    mounting ??= mountProvider(config).then(
      (provider) => {
        provider.provider().on("server_error", (_ctx, error) => log.error({ err: error }, "OpenID provider error"));
        return provider;
      },
      (error: unknown) => {
        mounting = null;
        throw error;
      },
    );
    return mounting;
  };
  const failed = (request: IncomingMessage, response: ServerResponse) => (error: unknown) => {
    log.error({ err: error }, "OpenID interaction failed");
    if (!response.headersSent) {
      sendProblem(response, { status: 500, detail: said("oidc.signInIncomplete") }, requestLocale(request));
    }
  };

  /** Answers the request and returns true when it is the provider's; false for any other path. */
  return function handleOidc(request: IncomingMessage, response: ServerResponse, pathname: string): boolean {
    if (pathname === "/device") {
      // The portal's address for the device flow; the provider's page is at /oidc/device.
      request.resume();
      const query = (request.url ?? "").slice(pathname.length);
      response.statusCode = 303;
      response.setHeader("location", `${OIDC_PREFIX}/device${query}`);
      response.end();
      return true;
    }
    if (pathname !== OIDC_PREFIX && !pathname.startsWith(`${OIDC_PREFIX}/`)) return false;
    const route = interactionRoute(pathname);
    if (route) {
      mounted()
        .then((provider) => serveInteraction(provider.provider(), request, response, route))
        .catch(failed(request, response));
      return true;
    }
    if (pathname === `${OIDC_PREFIX}/device` && request.method === "POST") {
      void limitDeviceEntries(request, response)
        .then(async (allowed) => allowed && (await mounted()).handle(request, response))
        .catch(failed(request, response));
      return true;
    }
    mounted()
      .then((provider) => provider.handle(request, response))
      .catch(failed(request, response));
    return true;
  };
}

async function limitDeviceEntries(request: IncomingMessage, response: ServerResponse): Promise<boolean> {
  const window = await countEvent(
    getDatabase().db,
    `oidc-device:${clientIp(request.headers) ?? "unknown"}`,
    DEVICE_WINDOW_SECONDS,
  );
  if (window.count <= DEVICE_ATTEMPTS) return true;
  request.resume();
  const retryAfter = Math.max(1, Math.ceil((window.resetAt.getTime() - Date.now()) / 1000));
  sendProblem(
    response,
    {
      status: 429,
      detail: said("rateLimit.deviceCodes"),
      headers: { "retry-after": String(retryAfter) },
    },
    requestLocale(request),
  );
  return false;
}
