import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { toLinkRows } from "@/components/shares/link-rows";
import { LinksTable } from "@/components/shares/links-table";
import { buttonClass } from "@/components/ui/button";
import { getActor } from "@/lib/auth/current-actor";
import { listBots } from "@/lib/bots/queries";
import { organizationIdsFor } from "@/lib/conversations/policy";
import { AppError } from "@/lib/errors";
import { listShares } from "@/lib/shares/list";
import { shareListFilterSchema } from "@/lib/shares/schemas";

export const metadata: Metadata = { title: "Shared links" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/** A stale or hand-edited cursor shows the first page rather than an error page. */
function firstPageOnBadCursor<T>(firstPage: () => Promise<T>) {
  return (error: unknown) => {
    if (error instanceof AppError && error.code === "bad_request") return firstPage();
    throw error;
  };
}

const selectClass = "rounded border border-gray-300 px-2 py-1 font-normal";

/** Every link of the conversations the member may share, filterable, revocable, a page at a time. */
export default async function LinksPage({ searchParams }: Props) {
  const actor = await getActor();
  if (actor.kind !== "user") redirect("/login");
  const params = await searchParams;
  // A hand-edited query that does not parse shows everything rather than an error page.
  const parsed = shareListFilterSchema.safeParse({ status: first(params.status), mode: first(params.mode), botId: first(params.botId), q: first(params.q) });
  const filter = parsed.success ? parsed.data : {};
  const cursor = first(params.cursor);
  const canManage = organizationIdsFor(actor, "share").length > 0;
  const [page, bots] = canManage
    ? await Promise.all([listShares(actor, { filter, cursor }).catch(firstPageOnBadCursor(() => listShares(actor, { filter }))), listBots(actor)])
    : [{ shares: [], nextCursor: null }, []];
  const filterQuery = new URLSearchParams(Object.entries(filter).filter((entry): entry is [string, string] => Boolean(entry[1])));
  const filtered = filterQuery.size > 0;

  return (
    <main className="flex flex-col gap-4">
      <h1 className="text-xl font-semibold">Shared links</h1>
      {!canManage ? (
        <p className="text-sm text-gray-700">Only owners and admins of an organization create and manage its links. Ask one of them.</p>
      ) : (
        <>
          <form method="get" className="flex flex-wrap items-end gap-3 text-sm" role="search" aria-label="Filter links">
            <label className="flex flex-col gap-1 font-medium">
              Conversation title
              <input type="search" name="q" defaultValue={filter.q ?? ""} className={selectClass} placeholder="Search titles" />
            </label>
            <FilterSelect label="Status" name="status" value={filter.status} options={STATUS_OPTIONS} />
            <FilterSelect label="Mode" name="mode" value={filter.mode} options={MODE_OPTIONS} />
            <FilterSelect label="Bot" name="botId" value={filter.botId} options={bots.map((bot) => ({ value: bot.id, label: bot.name }))} />
            <button type="submit" className={buttonClass("secondary")}>
              Apply
            </button>
            {filtered && (
              <Link href="/links" className="text-brand underline">
                Clear filters
              </Link>
            )}
          </form>
          <LinksTable
            rows={toLinkRows(page.shares)}
            filter={filter}
            canRevoke
            emptyMessage={
              filtered
                ? "No link matches this filter. Clear the filters to see every link."
                : "No links yet. Open a conversation and use its Share button to create one."
            }
          />
          <nav aria-label="Pages" className="flex gap-3 text-sm">
            {cursor && (
              <Link href={`/links?${filterQuery}`} className="text-brand underline">
                First page
              </Link>
            )}
            {page.nextCursor && (
              <Link href={`/links?${new URLSearchParams([...filterQuery, ["cursor", page.nextCursor]])}`} className="text-brand underline">
                Next page
              </Link>
            )}
          </nav>
        </>
      )}
    </main>
  );
}

const STATUS_OPTIONS = [
  { value: "active", label: "Active" },
  { value: "expired", label: "Expired" },
  { value: "revoked", label: "Revoked" },
];
const MODE_OPTIONS = [
  { value: "VIEW", label: "View" },
  { value: "TAKEOVER", label: "Takeover" },
  { value: "AUTO", label: "Auto" },
];

/** One of the filter form's choices, "Any" first. */
function FilterSelect({ label, name, value, options }: { label: string; name: string; value?: string; options: { value: string; label: string }[] }) {
  return (
    <label className="flex flex-col gap-1 font-medium">
      {label}
      <select name={name} defaultValue={value ?? ""} className={selectClass}>
        <option value="">Any</option>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </label>
  );
}
