"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import { usePathname } from "next/navigation";
import { useEffect, useState } from "react";
import { settingsSections } from "./sections";

/**
 * The settings' side menu. On a phone it folds behind a button naming the open section; from
 * 50rem up the stylesheet shows it beside the content. Links of the single-page profile of old
 * (`/profile#sessions`, `/profile#security-activity`, …) land on their section's own page.
 */
export function SettingsNav() {
  const t = useTranslations("settings");
  const pathname = usePathname();
  const [open, setOpen] = useState(false);
  const current = settingsSections.find((section) => section.href === pathname) ?? settingsSections[0];

  useEffect(() => {
    if (pathname !== "/profile") return;
    const follow = () => {
      const anchor = window.location.hash.slice(1);
      const section = settingsSections.find((candidate) => (candidate.anchors as readonly string[]).includes(anchor));
      if (anchor && section && section.href !== "/profile") window.location.replace(section.href);
    };
    follow();
    window.addEventListener("hashchange", follow);
    return () => window.removeEventListener("hashchange", follow);
  }, [pathname]);

  return (
    <div className="settings-nav">
      <button
        type="button"
        className="secondary settings-menu-button"
        aria-expanded={open}
        aria-controls="settings-sections"
        onClick={() => setOpen(!open)}
      >
        <span className="menu-icon" aria-hidden="true" />
        {t("menuButton", { section: t(`sections.${current.key}`) })}
      </button>
      <nav
        id="settings-sections"
        aria-label={t("title")}
        data-open={open ? "" : undefined}
        onClick={(event) => {
          if ((event.target as Element).closest("a")) setOpen(false);
        }}
        onKeyDown={(event) => {
          if (event.key === "Escape" && open) setOpen(false);
        }}
      >
        <ul>
          {settingsSections.map((section) => (
            <li key={section.href}>
              <Link href={section.href} aria-current={section.href === pathname ? "page" : undefined}>
                {t(`sections.${section.key}`)}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
    </div>
  );
}
