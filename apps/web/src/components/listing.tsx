import { useTranslations } from "next-intl";
import Link from "next/link";
import type { ReactNode } from "react";

/** Previous / next links of a paged listing; `href` builds the URL of a page. */
export function Pagination({
  page,
  pageCount,
  href,
}: {
  page: number;
  pageCount: number;
  href: (page: number) => string;
}) {
  const t = useTranslations("layout.ui");
  return (
    <nav className="pagination" aria-label={t("pages")}>
      {page > 1 && <Link href={href(page - 1)}>{t("previous")}</Link>}
      <span>{t("pageOf", { page, count: pageCount })}</span>
      {page < pageCount && <Link href={href(page + 1)}>{t("next")}</Link>}
    </nav>
  );
}

/** A labelled text filter of a GET search form. */
export function FilterInput({
  id,
  name,
  label,
  value,
  ...rest
}: {
  id: string;
  name: string;
  label: string;
  value?: string;
  placeholder?: string;
  size?: number;
  type?: string;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} name={name} defaultValue={value ?? ""} {...rest} />
    </div>
  );
}

/** A labelled select filter of a GET search form. */
export function FilterSelect({
  id,
  name,
  label,
  value,
  children,
}: {
  id: string;
  name: string;
  label: string;
  value?: string;
  children: ReactNode;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} name={name} defaultValue={value ?? ""}>
        {children}
      </select>
    </div>
  );
}

/**
 * A wide table scrolls inside its card instead of widening the page. The region is focusable so
 * that keyboard users can scroll it, and named so that screen readers can tell what it holds.
 */
export function TableScroll({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="table-scroll" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}

/** What an empty list shows instead of an empty table: why it is empty and what to do next. */
export function EmptyState({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="empty">
      <p className="empty-title">{title}</p>
      <p>{children}</p>
    </div>
  );
}

/** A page number past the last page of a list that is not empty: back to its first page. */
export function PastTheEnd({ page, total, firstPage }: { page: number; total: number; firstPage: string }) {
  const t = useTranslations("layout.ui");
  return (
    <EmptyState title={t("pastTheEnd", { page })}>
      {t.rich("firstPage", { total, link: (chunks) => <Link href={firstPage}>{chunks}</Link> })}
    </EmptyState>
  );
}
