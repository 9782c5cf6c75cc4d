// The OpenID provider (panva's oidc-provider), mounted by the gateway at /oidc: issuer
// `${APP_URL}/oidc`, discovery at /oidc/.well-known/openid-configuration. Its storage is the
// database (adapter.ts), its signing keys the database's encrypted ES256 keys, its sign-in and
// consent the portal's pages (interactions.ts). The provider holds no state of its own, so a new
// instance replaces the current one when another process rotated the keys.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { default as Provider, Configuration, KoaContextWithOIDC } from "oidc-provider";
import { cookieKeys, getConfig, keySetVersion, signingKeys, type Config } from "@mastoc/api";
import { getDatabase } from "@mastoc/db";
import { PrismaAdapter } from "./adapter";
import { verifyHashedSecrets } from "./clients";
import { loadOidcLibrary } from "./library";
import { escapeHtml, page, pageLanguage, scopeList } from "./pages";
import { portalUser } from "./portal-user";

export const OIDC_PREFIX = "/oidc";
/** How often an instance checks whether the signing keys changed. */
const KEY_CHECK_INTERVAL_MS = 30_000;

const claimsOf = {
  openid: ["sub"],
  profile: ["name", "preferred_username", "picture", "role"],
  email: ["email", "email_verified"],
};

async function findAccount(_ctx: KoaContextWithOIDC, sub: string) {
  const user = await getDatabase().db.user.findUnique({
    where: { id: sub },
    select: {
      id: true,
      email: true,
      username: true,
      name: true,
      image: true,
      role: true,
      isActive: true,
      emailVerified: true,
    },
  });
  if (!user || !user.isActive) return undefined;
  const { APP_URL } = getConfig();
  return {
    accountId: user.id,
    async claims() {
      return {
        sub: user.id,
        name: user.name ?? user.username,
        preferred_username: user.username,
        picture: user.image ? `${APP_URL}/api/users/${user.id}/avatar` : undefined,
        email: user.email,
        email_verified: user.emailVerified !== null,
        role: user.role,
      };
    },
  };
}

function deviceScopes(ctx: KoaContextWithOIDC): string[] {
  const code = ctx.oidc.entities.DeviceCode as unknown as { params?: { scope?: string } } | undefined;
  return (code?.params?.scope ?? "").split(" ").filter(Boolean);
}

function configuration(config: Config, keys: Awaited<ReturnType<typeof signingKeys>>): Configuration {
  const day = 24 * 3600;
  return {
    adapter: PrismaAdapter,
    findAccount,
    claims: claimsOf,
    scopes: ["openid", "profile", "email", "offline_access"],
    responseTypes: ["code"],
    jwks: { keys: keys as never },
    cookies: { keys: cookieKeys(config), long: { signed: true }, short: { signed: true } },
    enabledJWA: { idTokenSigningAlgValues: ["ES256"] },
    pkce: { required: () => true },
    interactions: { url: (_ctx, interaction) => `${OIDC_PREFIX}/interaction/${interaction.uid}` },
    ttl: {
      AccessToken: config.ACCESS_TOKEN_EXPIRE_MINUTES * 60,
      AuthorizationCode: 60,
      ClientCredentials: config.ACCESS_TOKEN_EXPIRE_MINUTES * 60,
      DeviceCode: 300,
      IdToken: 3600,
      Interaction: 600,
      RefreshToken: config.REFRESH_TOKEN_EXPIRE_DAYS * day,
      Session: config.REFRESH_TOKEN_EXPIRE_DAYS * day,
      Grant: config.REFRESH_TOKEN_EXPIRE_DAYS * day,
    },
    rotateRefreshToken: true,
    issueRefreshToken: async (_ctx, client, code) =>
      client.grantTypeAllowed("refresh_token") && code.scopes.has("offline_access"),
    clientBasedCORS: (_ctx, origin, client) =>
      client.redirectUris?.some((uri) => URL.canParse(uri) && new URL(uri).origin === origin) ?? false,
    features: {
      devInteractions: { enabled: false },
      introspection: { enabled: true },
      revocation: { enabled: true },
      clientCredentials: { enabled: true },
      userinfo: { enabled: true },
      deviceFlow: {
        enabled: true,
        charset: "base-20",
        mask: "****-****",
        async userCodeInputSource(ctx, form, _out, err) {
          const user = await portalUser(ctx.req);
          if (!user) {
            ctx.redirect(`/login?next=${encodeURIComponent(ctx.originalUrl)}`);
            return;
          }
          const { locale, t } = pageLanguage(ctx.req, user.locale);
          let message = `<p>${escapeHtml(t("device.intro"))}</p>`;
          if (err && ((err as { userCode?: string }).userCode || err.name === "NoCodeError")) {
            message = `<p class="alert" role="alert">${escapeHtml(t("device.wrongCode"))}</p>`;
          } else if (err?.name === "AbortedError") {
            message = `<p class="alert" role="alert">${escapeHtml(t("device.aborted"))}</p>`;
          } else if (err) {
            message = `<p class="alert" role="alert">${escapeHtml(t("device.error"))}</p>`;
          }
          const labelled = form.replace(
            'name="user_code"',
            `name="user_code" id="user_code" aria-label="${escapeHtml(t("device.codeLabel"))}"`,
          );
          ctx.body = page(
            locale,
            t("device.title"),
            `${message}<label for="user_code">${escapeHtml(t("device.codeLabel"))}</label>${labelled}<button type="submit" form="op.deviceInputForm">${escapeHtml(t("device.continue"))}</button>`,
          );
        },
        async userCodeConfirmSource(ctx, form, client, _deviceInfo, userCode) {
          const user = await portalUser(ctx.req);
          if (!user) {
            ctx.redirect(`/login?next=${encodeURIComponent(`${OIDC_PREFIX}/device`)}`);
            return;
          }
          const name = client.clientName ?? client.clientId;
          const { locale, t } = pageLanguage(ctx.req, user.locale);
          ctx.body = page(
            locale,
            t("device.confirmTitle"),
            `<p>${escapeHtml(t("device.confirmIntro", { client: name, user: user.email }))}</p>
<p>${escapeHtml(t("device.confirmCode"))}</p><p class="code" data-testid="user-code">${escapeHtml(userCode)}</p>
<p>${escapeHtml(t("device.confirmScopes"))}</p>${scopeList(t, deviceScopes(ctx))}${form}
<button type="submit" form="op.deviceConfirmForm">${escapeHtml(t("device.allow"))}</button>
<button type="submit" class="secondary" form="op.deviceConfirmForm" value="yes" name="abort">${escapeHtml(t("device.deny"))}</button>`,
          );
        },
        async successSource(ctx) {
          const client = ctx.oidc.client;
          const { locale, t } = pageLanguage(ctx.req);
          ctx.body = page(
            locale,
            t("device.doneTitle"),
            `<p>${escapeHtml(t("device.done", { client: client?.clientName ?? client?.clientId ?? t("device.theApp") }))}</p>`,
          );
        },
      },
      rpInitiatedLogout: {
        enabled: true,
        async logoutSource(ctx, form) {
          const { locale, t } = pageLanguage(ctx.req);
          ctx.body = page(
            locale,
            t("logout.title"),
            `<p>${escapeHtml(t("logout.question"))}</p>${form}
<button type="submit" form="op.logoutForm" value="yes" name="logout">${escapeHtml(t("logout.yes"))}</button>
<button type="submit" class="secondary" form="op.logoutForm">${escapeHtml(t("logout.no"))}</button>`,
          );
        },
        async postLogoutSuccessSource(ctx) {
          const { locale, t } = pageLanguage(ctx.req);
          ctx.body = page(
            locale,
            t("logout.doneTitle"),
            `<p>${escapeHtml(t("logout.done"))}</p><p><a href="/">${escapeHtml(t("backHome"))}</a></p>`,
          );
        },
      },
    },
    async renderError(ctx, out) {
      // Browser-facing errors: the OAuth error and its description, never a stack trace.
      ctx.type = "html";
      const { locale, t } = pageLanguage(ctx.req);
      ctx.body = page(
        locale,
        t("errorTitle"),
        `<p class="alert" role="alert"><strong>${escapeHtml(out.error)}</strong>: ${escapeHtml(out.error_description ?? "")}</p><p><a href="/">${escapeHtml(t("backHome"))}</a></p>`,
      );
    },
  };
}

export type MountedProvider = {
  provider: () => Provider;
  handle: (request: IncomingMessage, response: ServerResponse) => void;
  close: () => void;
};

async function build(config: Config): Promise<{ provider: Provider; version: string }> {
  const db = getDatabase().db;
  // The version first: a rotation between the two reads then shows as a change at the next check.
  const version = await keySetVersion(db);
  const keys = await signingKeys(db, config);
  const { default: OidcProvider } = await loadOidcLibrary();
  const provider = new OidcProvider(`${config.APP_URL}${OIDC_PREFIX}`, configuration(config, keys));
  provider.proxy = config.TRUST_PROXY_HOPS > 0;
  verifyHashedSecrets(provider);
  return { provider, version };
}

/**
 * The provider as the gateway mounts it: requests under /oidc go to the library with the prefix
 * taken off (the issuer carries it). A provider with the new keys replaces this one when the key
 * set in the database changed: checked every KEY_CHECK_INTERVAL_MS, and before answering the JWKS,
 * so that every instance publishes a new key as soon as any instance made it (instances that have
 * not reloaded yet keep signing with the previous key, which stays published).
 */
export async function mountProvider(config = getConfig()): Promise<MountedProvider> {
  let current = await build(config);
  let callback = current.provider.callback();
  let checking: Promise<void> | null = null;
  const refresh = () =>
    (checking ??= keySetVersion(getDatabase().db)
      .then(async (version) => {
        if (version === current.version) return;
        current = await build(config);
        callback = current.provider.callback();
      })
      .catch(() => undefined)
      .finally(() => (checking = null)));
  const timer = setInterval(() => void refresh(), KEY_CHECK_INTERVAL_MS);
  timer.unref();
  return {
    provider: () => current.provider,
    handle(request, response) {
      const url = request.url ?? "/";
      // The library finds its mount path from `originalUrl` (as under Express's app.use("/oidc", …)).
      (request as IncomingMessage & { originalUrl?: string }).originalUrl = url;
      request.url = url.slice(OIDC_PREFIX.length) || "/";
      if (!request.url.startsWith("/")) request.url = `/${request.url}`;
      if (request.url === "/jwks" || request.url.startsWith("/jwks?")) {
        void refresh().then(() => callback(request, response));
      } else {
        void callback(request, response);
      }
    },
    close: () => clearInterval(timer),
  };
}
