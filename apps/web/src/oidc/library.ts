// oidc-provider, loaded on the first OpenID Connect request rather than at start: the library and
// its Koa stack take about 33 MB of memory that a portal nobody signs in to through OpenID never
// needs. Every module of the provider takes the library from here (and only types statically).
export type OidcLibrary = typeof import("oidc-provider");

let loading: Promise<OidcLibrary> | null = null;

export function loadOidcLibrary(): Promise<OidcLibrary> {
  loading ??= import("oidc-provider").catch((error: unknown) => {
    loading = null;
    throw error;
  });
  return loading;
}
