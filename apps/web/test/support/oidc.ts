// A scripted browser for the OpenID provider's redirects: keeps cookies (by name, per origin) and
// follows redirects until the client's redirect URI, without a real browser.
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  constructor(initial?: string | null) {
    if (initial) this.add([initial]);
  }

  add(lines: string[]) {
    for (const line of lines) {
      const [pair] = line.split(";");
      const separator = pair!.indexOf("=");
      const name = pair!.slice(0, separator).trim();
      const value = pair!.slice(separator + 1).trim();
      if (value === "" || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }
}

export type Hop = { status: number; location: string | null; url: string; body: string };

/** Follows redirects from `url` until one leaves for `stopAt` (returned) or a page answers. */
export async function follow(
  url: string,
  jar: CookieJar,
  stopAt: string,
  init: RequestInit = {},
  maxHops = 12,
): Promise<Hop> {
  let current = url;
  let request = init;
  for (let hop = 0; hop < maxHops; hop++) {
    const headers = new Headers(request.headers);
    const cookie = jar.header();
    if (cookie) headers.set("cookie", cookie);
    const response = await fetch(current, { ...request, headers, redirect: "manual" });
    jar.add(response.headers.getSetCookie());
    const location = response.headers.get("location");
    const body = await response.text();
    if (response.status < 300 || response.status >= 400 || !location) {
      return { status: response.status, location, url: current, body };
    }
    const next = new URL(location, current).href;
    if (next.startsWith(stopAt)) return { status: response.status, location: next, url: current, body };
    current = next;
    request = {};
  }
  throw new Error(`more than ${maxHops} redirects from ${url}`);
}
