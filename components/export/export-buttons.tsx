import { buttonClass } from "@/components/ui/button";
import { EXPORT_FORMATS } from "@/lib/export/formats";

export const FORMAT_LABELS = { json: "JSON", csv: "CSV", md: "Markdown", parquet: "Parquet" } as const;

/** One download link per format for a conversation's transcript; plain links, so no script is needed. */
export function ExportButtons({ conversationId }: { conversationId: string }) {
  return (
    <div role="group" aria-label="Export transcript" className="flex flex-wrap items-center gap-1 text-sm">
      <span className="text-gray-600">Export</span>
      {EXPORT_FORMATS.map((format) => (
        <a
          key={format}
          className={buttonClass("secondary", "px-2 py-1")}
          href={`/api/v1/conversations/${conversationId}/export?format=${format}`}
          download
          title={`Download messages and control events as ${FORMAT_LABELS[format]}`}
        >
          {FORMAT_LABELS[format]}
        </a>
      ))}
    </div>
  );
}
