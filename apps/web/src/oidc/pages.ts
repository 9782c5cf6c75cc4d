// The provider's own HTML (device code entry and confirmation, logout, browser-facing errors): plain
// pages in the portal's look, with no script and nothing from another origin.
import type { IncomingMessage } from "node:http";
import { getConfig } from "@mastoc/api";
import { localeFromCookie, resolveLocale, translator, type Locale } from "@mastoc/api/i18n";

/** The `oidc` catalog in one language. */
export type OidcText = ReturnType<typeof translator<"oidc">>;

/**
 * The language of a provider page: the signed-in user's saved one when known, else the switcher's
 * cookie, else Accept-Language, else DEFAULT_LOCALE (as for the portal's pages).
 */
export function pageLanguage(request: IncomingMessage, saved?: string | null): { locale: Locale; t: OidcText } {
  const header = (name: string) => {
    const value = request.headers[name];
    return typeof value === "string" ? value : null;
  };
  const locale = resolveLocale({
    saved,
    cookie: localeFromCookie(header("cookie")),
    acceptLanguage: header("accept-language"),
    fallback: getConfig().DEFAULT_LOCALE,
  });
  return { locale, t: translator(locale, "oidc") };
}

export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const STYLE = `body{font-family:system-ui,sans-serif;margin:0;background:#f6f7f9;color:#16181d}
main{max-width:28rem;margin:4rem auto;padding:2rem;background:#fff;border-radius:12px;box-shadow:0 1px 4px rgba(0,0,0,.12)}
h1{font-size:1.5rem;margin-top:0}label{display:block;font-weight:600;margin-bottom:.25rem}
input[type=text]{font-size:1.25rem;letter-spacing:.1em;text-transform:uppercase;padding:.5rem;width:100%;box-sizing:border-box}
button{font-size:1rem;padding:.55rem 1.1rem;border-radius:8px;border:1px solid #2456c7;background:#2456c7;color:#fff;cursor:pointer;margin:.75rem .5rem 0 0}
button.secondary{background:#fff;color:#2456c7}.code{font-family:monospace;font-size:1.75rem;letter-spacing:.15em}
.alert{padding:.6rem .8rem;border-radius:8px;background:#fdecec;color:#8a1c1c}
@media (prefers-color-scheme:dark){body{background:#111318;color:#e8eaef}main{background:#1b1e25}button.secondary{background:#1b1e25;color:#8fb0ff}.alert{background:#4a1d1d;color:#ffd6d6}}`;

export function page(locale: Locale, title: string, body: string): string {
  return `<!DOCTYPE html><html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · mastoc accounts</title><style>${STYLE}</style></head>
<body><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`;
}

const SCOPES = ["openid", "profile", "email", "offline_access"] as const;
type Scope = (typeof SCOPES)[number];
const isScope = (scope: string): scope is Scope => (SCOPES as readonly string[]).includes(scope);

/** What the scopes a client asks for let it do, as a list (scopes the user is not told about left out). */
export function scopeList(t: OidcText, scopes: readonly string[]): string {
  const items = scopes.filter(isScope).map((scope) => `<li>${escapeHtml(t(`scopes.${scope}`))}</li>`);
  return items.length ? `<ul>${items.join("")}</ul>` : "";
}
