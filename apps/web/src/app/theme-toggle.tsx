"use client";

import { useTranslations } from "next-intl";
import { useEffect, useState } from "react";
import { THEME_COOKIE, type Theme } from "../lib/theme";

/**
 * Switches between light and dark. Without a choice the page follows the system's
 * prefers-color-scheme; a choice is kept a year in a cookie (read by the server on every page).
 */
export function ThemeToggle({ chosen }: { chosen: Theme | null }) {
  const t = useTranslations("layout");
  const [dark, setDark] = useState(chosen === "dark");
  useEffect(() => {
    if (chosen) return;
    const query = window.matchMedia("(prefers-color-scheme: dark)");
    setDark(query.matches);
    const follow = (event: MediaQueryListEvent) => setDark(event.matches);
    query.addEventListener("change", follow);
    return () => query.removeEventListener("change", follow);
  }, [chosen]);

  return (
    <button
      type="button"
      className="secondary theme-toggle"
      aria-pressed={dark}
      onClick={() => {
        const next: Theme = dark ? "light" : "dark";
        document.documentElement.dataset.theme = next;
        document.cookie = `${THEME_COOKIE}=${next}; path=/; max-age=31536000; samesite=lax`;
        setDark(!dark);
      }}
    >
      {t("darkMode")}
    </button>
  );
}
