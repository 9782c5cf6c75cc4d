// The provider's interactions, answered with the portal's own sign-in and consent:
//   GET  /oidc/interaction/{uid}          sign-in prompt: the portal's session, or /login and back
//                                          (also when the client wants a fresher sign-in than it);
//                                          consent prompt: granted at once for first-party clients and
//                                          scopes already consented to, else the /oauth/consent page.
//   POST /oidc/interaction/{uid}/confirm  the consent page's "Allow"
//   POST /oidc/interaction/{uid}/abort    its "Deny"
// Every step requires the portal session of the account the interaction signs in.
import type { IncomingMessage, ServerResponse } from "node:http";
import type Provider from "oidc-provider";
import { getConfig, hasConsent, oidcStore, openOidcSession, recordConsent, findClient } from "@mastoc/api";
import { getDatabase } from "@mastoc/db";
import { requestMeta } from "../identity/request";
import { OIDC_PREFIX } from "./provider";
import { freshEnough, prompted } from "./freshness";
import { portalSignIn } from "./portal-user";
import { page, escapeHtml, pageLanguage } from "./pages";

const INTERACTION_PATH = new RegExp(`^${OIDC_PREFIX}/interaction/([A-Za-z0-9_-]{1,64})(/confirm|/abort)?$`);

export function interactionRoute(pathname: string): { uid: string; action: "show" | "confirm" | "abort" } | null {
  const match = INTERACTION_PATH.exec(pathname);
  if (!match) return null;
  return { uid: match[1]!, action: match[2] === "/confirm" ? "confirm" : match[2] === "/abort" ? "abort" : "show" };
}

function redirect(response: ServerResponse, location: string) {
  response.statusCode = 303;
  response.setHeader("location", location);
  response.setHeader("cache-control", "no-store");
  response.end();
}

type Failure = "expired" | "methodNotAllowed";

function failPage(request: IncomingMessage, response: ServerResponse, status: number, failure: Failure) {
  const { locale, t } = pageLanguage(request);
  response.statusCode = status;
  response.setHeader("content-type", "text/html; charset=utf-8");
  response.setHeader("cache-control", "no-store");
  response.end(
    page(
      locale,
      t("errorTitle"),
      `<p class="alert" role="alert">${escapeHtml(t(failure))}</p><p><a href="/">${escapeHtml(t("backHome"))}</a></p>`,
    ),
  );
}

function continuePage(request: IncomingMessage, next: string): string {
  const { locale, t } = pageLanguage(request);
  const target = escapeHtml(next);
  return page(locale, t("continueTitle"), `<p><a href="${target}">${escapeHtml(t("continueLink"))}</a></p>`).replace(
    "<title>",
    `<meta http-equiv="refresh" content="0;url=${target}"><title>`,
  );
}

/** A POST must come from this origin's pages (a form on the consent page), never from another site. */
function sameOrigin(request: IncomingMessage): boolean {
  const origin = request.headers.origin;
  return origin === new URL(getConfig().APP_URL).origin;
}

export async function serveInteraction(
  provider: Provider,
  request: IncomingMessage,
  response: ServerResponse,
  route: { uid: string; action: "show" | "confirm" | "abort" },
): Promise<void> {
  const method = request.method ?? "GET";
  if ((route.action === "show" && method !== "GET") || (route.action !== "show" && method !== "POST")) {
    request.resume();
    response.setHeader("allow", route.action === "show" ? "GET" : "POST");
    return failPage(request, response, 405, "methodNotAllowed");
  }
  request.resume();
  if (route.action !== "show" && !sameOrigin(request)) return failPage(request, response, 403, "expired");
  let details: Awaited<ReturnType<Provider["interactionDetails"]>>;
  try {
    details = await provider.interactionDetails(request, response);
  } catch {
    return failPage(request, response, 400, "expired");
  }
  if (details.uid !== route.uid) return failPage(request, response, 400, "expired");
  // The consent round carries the sign-in round's result on (the provider's default): prompt=login
  // is answered only while the result holds a login.
  const finish = async (result: Parameters<Provider["interactionFinished"]>[2]) => {
    if (route.action === "show") {
      return provider.interactionFinished(request, response, result, { mergeWithLastSubmission: true });
    }
    // After the consent form's POST, the browser goes on to the client by a plain navigation: a
    // redirect answering a form would be held to the page's CSP form-action ('self'), and the
    // client's redirect URI is another origin.
    const next = await provider.interactionResult(request, response, result, { mergeWithLastSubmission: true });
    response.statusCode = 200;
    response.setHeader("content-type", "text/html; charset=utf-8");
    response.setHeader("cache-control", "no-store");
    response.setHeader("referrer-policy", "no-referrer");
    response.end(continuePage(request, next));
  };

  if (route.action === "abort") {
    return finish({ error: "access_denied", error_description: "The user denied the request" });
  }
  const signedIn = await portalSignIn(request);
  const here = encodeURIComponent(`${OIDC_PREFIX}/interaction/${route.uid}`);
  if (!signedIn) return redirect(response, `/login?next=${here}`);
  const { user } = signedIn;

  if (details.prompt.name === "login") {
    if (!freshEnough(details, signedIn.signedInAt)) return redirect(response, `/login?reauth=1&next=${here}`);
    // The ID token's auth_time is when the user really signed in, not when the client asked.
    return finish({ login: { accountId: user.id, ts: Math.floor(signedIn.signedInAt.getTime() / 1000) } });
  }
  if (details.prompt.name !== "consent") return failPage(request, response, 400, "expired");
  if (details.session?.accountId !== user.id) {
    // Another account signed in to the portal since the request began: it starts again from the app.
    return finish({ error: "login_required", error_description: "The signed-in account changed" });
  }
  const clientId = String(details.params.client_id ?? "");
  const client = await findClient(getDatabase().db, clientId);
  if (!client) return failPage(request, response, 400, "expired");
  const scopes = String(details.params.scope ?? "openid")
    .split(" ")
    .filter(Boolean);
  const db = getDatabase().db;
  // A third-party client asks once per scope set, or again when it sends prompt=consent.
  const askedAgain = prompted(details.params, "consent");
  const consented = client.first_party || (!askedAgain && (await hasConsent(db, user.id, client.client_id, scopes)));
  if (!consented && route.action !== "confirm") {
    return redirect(response, `/oauth/consent?uid=${encodeURIComponent(route.uid)}`);
  }
  if (!client.first_party) await recordConsent(db, user.id, client.client_id, scopes);

  const existing = details.grantId ? await provider.Grant.find(details.grantId) : undefined;
  const grant = existing ?? new provider.Grant({ accountId: user.id, clientId: client.client_id });
  const missing = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[] };
  if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(" "));
  if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
  const grantId = await grant.save();
  if (!(await oidcStore.sessionOfGrant(db, grantId))) {
    const sessionId = await openOidcSession(
      db,
      getConfig(),
      user,
      client.client_id,
      scopes,
      requestMeta(request.headers),
    );
    await oidcStore.bindGrantToSession(db, grantId, sessionId);
  }
  return finish({ consent: { grantId } });
}
