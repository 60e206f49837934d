import { csvRow } from "@/lib/export/csv";
import { ENTRY_FIELDS, type ExportEntry } from "@/lib/export/entries";
import { markdownTranscript } from "@/lib/export/markdown";
import { parquetFile } from "@/lib/export/parquet";

export const EXPORT_FORMATS = ["json", "csv", "md", "parquet"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const FORMAT_CONTENT_TYPES: Record<ExportFormat, string> = {
  json: "application/json; charset=utf-8",
  csv: "text/csv; charset=utf-8; header=present",
  md: "text/markdown; charset=utf-8",
  parquet: "application/vnd.apache.parquet",
};

/** An entry as JSON: the same fields as every format, the time in ISO 8601 UTC. */
function entryJson(entry: ExportEntry) {
  return { ...entry, time: entry.time.toISOString() };
}

/** A JSON array with one entry per line, written as the entries arrive. */
async function* jsonArray(entries: AsyncIterable<ExportEntry>): AsyncGenerator<string> {
  let first = true;
  for await (const entry of entries) {
    yield `${first ? "[\n" : ",\n"}${JSON.stringify(entryJson(entry))}`;
    first = false;
  }
  yield first ? "[]\n" : "\n]\n";
}

/** A header row, then one record per entry; file ids and names are each joined by a line break. */
async function* csvTable(entries: AsyncIterable<ExportEntry>): AsyncGenerator<string> {
  yield csvRow([...ENTRY_FIELDS]);
  for await (const entry of entries) {
    yield csvRow(
      ENTRY_FIELDS.map((field) => {
        const value = entry[field];
        if (value instanceof Date) return value.toISOString();
        if (Array.isArray(value)) return value.join("\n");
        return value;
      }),
    );
  }
}

/** Text is gathered into chunks of about this size: one write per entry would cost more than the entry. */
const TEXT_CHUNK_CHARS = 64 * 1024;

async function* chunked(parts: AsyncIterable<string>): AsyncGenerator<Uint8Array> {
  const encoder = new TextEncoder();
  let pending = "";
  for await (const part of parts) {
    pending += part;
    if (pending.length >= TEXT_CHUNK_CHARS) {
      yield encoder.encode(pending);
      pending = "";
    }
  }
  if (pending) yield encoder.encode(pending);
}

/** The file's bytes, produced only as fast as they are read. */
export function encodeEntries(format: ExportFormat, entries: AsyncIterable<ExportEntry>): AsyncIterable<Uint8Array> {
  switch (format) {
    case "json":
      return chunked(jsonArray(entries));
    case "csv":
      return chunked(csvTable(entries));
    case "md":
      return chunked(markdownTranscript(entries));
    case "parquet":
      return parquetFile(entries);
  }
}
