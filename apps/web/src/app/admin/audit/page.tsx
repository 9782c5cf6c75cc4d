import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import Link from "next/link";
import { AuditEntries } from "@/components/audit-entries";
import { EmptyState, FilterInput, FilterSelect } from "@/components/listing";
import { resolveActor, userNames } from "@/lib/user-names";
import { serverCaller } from "@/identity/caller";
import { requireUser } from "@/identity/require-user";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("admin.audit"))("title") };
}

const TARGET_TYPES = ["user", "climb", "session", "apiKey"] as const;

type Search = {
  action?: string;
  actor?: string;
  targetType?: string;
  targetId?: string;
  ip?: string;
  from?: string;
  to?: string;
  cursor?: string;
};

export default async function AuditPage({ searchParams }: { searchParams: Promise<Search> }) {
  const viewer = await requireUser("/admin/audit", "audit.readClimbs");
  const params = await searchParams;
  const everything = viewer.permissions["audit.readAll"];
  const caller = await serverCaller();
  // The actor filter takes an email or a username (or, as before, an account id).
  const actor = params.actor?.trim() ? await resolveActor(caller, params.actor) : null;
  const date = (value?: string) => (value && !Number.isNaN(Date.parse(value)) ? new Date(value) : undefined);
  // The filters of the list and of the export links alike.
  const query = {
    action: params.action || undefined,
    actorId: actor?.id ?? (params.actor?.trim() || undefined),
    targetType: everything ? params.targetType || undefined : "climb",
    targetId: params.targetId || undefined,
    ip: params.ip || undefined,
    from: date(params.from),
    // A date filter's "to" includes that whole day.
    to: date(params.to) && new Date(date(params.to)!.getTime() + 24 * 3600 * 1000 - 1),
  };
  const result = await caller.audit.list({ ...query, cursor: params.cursor || undefined, limit: 50 });
  const exportLink = (format: "csv" | "ndjson") =>
    `/admin/audit/export?${new URLSearchParams({
      format,
      ...Object.fromEntries(
        Object.entries(query)
          .filter(([, value]) => value !== undefined)
          .map(([key, value]) => [key, value instanceof Date ? value.toISOString() : String(value)]),
      ),
    })}`;
  const { cursor: _cursor, ...filters } = params;
  const filtered = Object.values(filters).some(Boolean);
  const t = await getTranslations("admin.audit");
  return (
    <div className="card wide">
      <h1>{t("title")}</h1>
      {!everything && <p className="muted">{t("moderatorView")}</p>}
      <form className="filters" method="get" role="search" aria-label={t("filter")}>
        <FilterInput
          id="audit-action"
          name="action"
          label={t("action")}
          value={params.action}
          placeholder="auth.login"
        />
        <FilterInput
          id="audit-actor"
          name="actor"
          label={t("actor")}
          value={params.actor}
          placeholder="ada@example.com"
        />
        {everything && (
          <FilterSelect id="audit-target-type" name="targetType" label={t("targetType")} value={params.targetType}>
            <option value="">{t("any")}</option>
            {TARGET_TYPES.map((type) => (
              <option key={type} value={type}>
                {t(`targetTypes.${type}`)}
              </option>
            ))}
          </FilterSelect>
        )}
        <FilterInput id="audit-target-id" name="targetId" label={t("targetId")} value={params.targetId} />
        <FilterInput id="audit-ip" name="ip" label={t("ip")} value={params.ip} />
        <FilterInput id="audit-from" name="from" label={t("from")} type="date" value={params.from} />
        <FilterInput id="audit-to" name="to" label={t("to")} type="date" value={params.to} />
        <button type="submit" className="secondary">
          {t("filterButton")}
        </button>
      </form>
      <p className="links export-links">
        <span>{t("exportIntro")}</span>
        <a href={exportLink("csv")} download>
          {t("exportCsv")}
        </a>
        <a href={exportLink("ndjson")} download>
          {t("exportNdjson")}
        </a>
      </p>
      {result.items.length > 0 ? (
        <AuditEntries
          entries={result.items}
          label={t("entries")}
          caption={actor ? t("newestFirstBy", { name: actor.label }) : t("newestFirst")}
          names={
            viewer.permissions["users.read"]
              ? await userNames(
                  caller,
                  result.items.flatMap((entry) =>
                    entry.targetType === "user" && entry.targetId ? [entry.targetId] : [],
                  ),
                )
              : undefined
          }
        />
      ) : (
        <EmptyState title={filtered ? t("noMatchTitle") : t("emptyTitle")}>
          {filtered
            ? t.rich("noMatchText", { link: (chunks) => <Link href="/admin/audit">{chunks}</Link> })
            : everything
              ? t("emptyAll")
              : t("emptyClimbs")}
        </EmptyState>
      )}
      {result.nextCursor && (
        <nav className="pagination" aria-label={t("pages")}>
          <Link href={`/admin/audit?${new URLSearchParams({ ...filters, cursor: result.nextCursor })}`}>
            {t("older")}
          </Link>
        </nav>
      )}
    </div>
  );
}
