// The colour scheme a person chose with the toggle, shared by the layout (a server component,
// which writes it as data-theme on <html>, so there is no flash) and the toggle (a client one).

export type Theme = "light" | "dark";

/** The cookie that keeps a chosen scheme (a year); without it the page follows the system. */
export const THEME_COOKIE = "mastoc-theme";

export const THEMES: readonly string[] = ["light", "dark"];
