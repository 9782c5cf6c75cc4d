// The CLI's own version, written into the bundle from package.json at build time (build.mjs).
declare const MASTOC_CLI_VERSION: string | undefined;

export const CLI_VERSION: string = typeof MASTOC_CLI_VERSION === "string" ? MASTOC_CLI_VERSION : "0.0.0-dev";

/** `mastoc-cli/<version> (<os>; node <version>)`: the client the server records for each session. */
export const USER_AGENT = `mastoc-cli/${CLI_VERSION} (${process.platform}; node ${process.versions.node})`;
