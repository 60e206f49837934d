import { FORMAT_LABELS } from "@/components/export/export-buttons";
import { buttonClass } from "@/components/ui/button";
import { EXPORT_FORMATS } from "@/lib/export/formats";

const field = "rounded-md border border-gray-300 px-2 py-1 text-sm";

/**
 * Exports many conversations as one file: a plain GET form to the export endpoint, which answers
 * with a download (the page stays). Only conversations the member may read are in it.
 */
export function OrganizationExportForm({ bots }: { bots: { id: string; name: string }[] }) {
  return (
    <details className="mb-4 rounded-lg border border-gray-200 bg-white p-3">
      <summary className="cursor-pointer text-sm font-medium">Export conversations</summary>
      <form action="/api/v1/conversations/export" method="get" className="mt-3 flex flex-wrap items-end gap-3" aria-label="Export conversations">
        <label className="flex flex-col gap-1 text-sm">
          Format
          <select name="format" defaultValue="csv" className={field}>
            {EXPORT_FORMATS.map((format) => (
              <option key={format} value={format}>
                {FORMAT_LABELS[format]}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-1 text-sm">
          Bot
          <select name="botId" defaultValue="" className={field}>
            <option value="">All bots</option>
            {bots.map((bot) => (
              <option key={bot.id} value={bot.id}>
                {bot.name}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-1 text-sm">
          From
          <input type="date" name="from" className={field} />
        </label>
        <label className="flex flex-col gap-1 text-sm">
          To (inclusive)
          <input type="date" name="to" className={field} />
        </label>
        <button type="submit" className={buttonClass("primary")}>
          Export
        </button>
        <p className="basis-full text-xs text-gray-500">Dates are UTC days. Messages, take-overs and transfers in that range, one file.</p>
      </form>
    </details>
  );
}
