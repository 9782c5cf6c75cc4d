"use client";

import { useTranslations } from "next-intl";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useEffect, useRef, useState, type ReactNode } from "react";

/**
 * The header's navigation and account actions. On a narrow screen they fold behind a disclosure
 * button; from 50rem up the stylesheet hides the button and always shows the panel, so one set of
 * links serves both layouts. Escape or a click elsewhere closes the open panel.
 */
export function SiteMenu({ children }: { children: ReactNode }) {
  const t = useTranslations("layout");
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== "Escape") return;
      setOpen(false);
      button.current?.focus();
    };
    const onPointerDown = (event: PointerEvent) => {
      const target = event.target as Node;
      if (!button.current?.contains(target) && !panel.current?.contains(target)) setOpen(false);
    };
    document.addEventListener("keydown", onKeyDown);
    document.addEventListener("pointerdown", onPointerDown);
    return () => {
      document.removeEventListener("keydown", onKeyDown);
      document.removeEventListener("pointerdown", onPointerDown);
    };
  }, [open]);

  return (
    <>
      <button
        ref={button}
        type="button"
        className="secondary menu-button"
        aria-expanded={open}
        aria-controls="site-menu"
        onClick={() => setOpen(!open)}
      >
        <span className="menu-icon" aria-hidden="true" />
        {t("menu")}
      </button>
      {/* The layout stays mounted across client navigations: following a link closes the panel. */}
      <div
        ref={panel}
        id="site-menu"
        className="menu-panel"
        data-open={open ? "" : undefined}
        onClick={(event) => {
          if ((event.target as Element).closest("a")) setOpen(false);
        }}
      >
        {children}
      </div>
    </>
  );
}

/**
 * A header link that tells assistive technology (and the stylesheet) which page is open; with
 * `section`, every page under it counts (the settings' pages under /profile).
 */
export function NavLink({ href, section = false, children }: { href: string; section?: boolean; children: ReactNode }) {
  const pathname = usePathname();
  const current = pathname === href || (section && pathname.startsWith(`${href}/`));
  return (
    <Link href={href} aria-current={current ? "page" : undefined}>
      {children}
    </Link>
  );
}
