// Clients (user agents) in words for people, in the reader's language: the portal's pages, the mails
// and the API share this. Browser-safe (no Node imports, no catalogs: the caller passes the words).
import UAParser from "ua-parser-js";

/** The user agent the mastoc command-line client sends: `mastoc-cli/<version> (<platform>; …)`. */
const CLI_AGENT = /^mastoc-cli\/v?(\d+)(?:\.(\d+))?[^\s(]*(?:\s*\(([^;)]+))?/i;
/** Any other program that names itself first (`curl/8.5.0`, `python-requests/2.32`, `node`). */
const PRODUCT = /^([A-Za-z][\w.-]*)(?:\/v?(\d+)(?:\.(\d+))?)?/;

const platformNames: Record<string, string> = {
  linux: "Linux",
  darwin: "macOS",
  win32: "Windows",
  freebsd: "FreeBSD",
  openbsd: "OpenBSD",
};

const osNames: Record<string, string> = { "Mac OS": "macOS", "Chromium OS": "ChromeOS" };
const browserNames: Record<string, string> = { "Mobile Safari": "Safari", "Chrome Headless": "Headless Chrome" };

/** The words of a client's description in the reader's language (the catalog's `common.client`). */
export type ClientWords = {
  /** "Unknown client", "Client inconnu". */
  unknown: string;
  /** "Firefox 133 on Windows", "Firefox 133 sous Windows". */
  on: (client: string, platform: string) => string;
};

/**
 * A client as people say it: "Firefox 133 on Windows", "Safari on iPhone", "mastoc CLI 1.4 on
 * Linux", "curl 8.5". An empty or missing user agent is an "Unknown client". Parsed with
 * ua-parser-js 1.x (MIT); the raw string stays available to show on hover or in details.
 */
export function describeClient(userAgent: string | null | undefined, words: ClientWords): string {
  const agent = (userAgent ?? "").trim();
  if (!agent) return words.unknown;
  const cli = CLI_AGENT.exec(agent);
  if (cli) {
    const version = cli[1] ? ` ${cli[1]}${cli[2] ? `.${cli[2]}` : ""}` : "";
    const platform = cli[3]?.trim().toLowerCase();
    const on = platform ? (platformNames[platform] ?? cli[3]!.trim()) : null;
    const name = `mastoc CLI${version}`;
    return on ? words.on(name, on) : name;
  }
  const { browser, os, device } = new UAParser(agent).getResult();
  if (browser.name) {
    const name = browserNames[browser.name] ?? browser.name;
    const model = device.model === "iPhone" || device.model === "iPad" ? device.model : null;
    // On an iPhone or iPad the browser's version says little: the device says more.
    const version = !model && browser.major ? ` ${browser.major}` : "";
    const on = model ?? (os.name ? (osNames[os.name] ?? os.name) : null);
    return on ? words.on(`${name}${version}`, on) : `${name}${version}`;
  }
  const product = PRODUCT.exec(agent);
  if (product?.[1] && product[1] !== "Mozilla") {
    return `${product[1]}${product[2] ? ` ${product[2]}${product[3] ? `.${product[3]}` : ""}` : ""}`;
  }
  return words.unknown;
}
