import { ByteWriter, ParquetWriter } from "hyparquet-writer";
import { ENTRY_FIELDS, type ExportEntry } from "@/lib/export/entries";

type SchemaElement = ConstructorParameters<typeof ParquetWriter>[0]["schema"][number];

/** A row group is written once it holds this many entries… */
export const PARQUET_ROW_GROUP_ROWS = 1000;
/** …or this many characters of text, whichever comes first: memory holds one row group. */
const ROW_GROUP_TEXT_CHARS = 4 * 1024 * 1024;

const string = (name: string, optional = false): SchemaElement => ({
  name,
  type: "BYTE_ARRAY",
  converted_type: "UTF8",
  repetition_type: optional ? "OPTIONAL" : "REQUIRED",
});

/** A list of strings in Parquet's standard three-level LIST layout. */
const stringList = (name: string): SchemaElement[] => [
  { name, repetition_type: "REQUIRED", converted_type: "LIST", num_children: 1 },
  { name: "list", repetition_type: "REPEATED", num_children: 1 },
  { name: "element", type: "BYTE_ARRAY", converted_type: "UTF8", repetition_type: "REQUIRED" },
];

/** The typed schema: strings, a UTC millisecond timestamp, nulls where an entry has no value, lists of file ids and names. */
const PARQUET_SCHEMA: SchemaElement[] = [
  { name: "root", num_children: ENTRY_FIELDS.length },
  string("conversationId"),
  string("conversationTitle"),
  string("botName"),
  string("channel"),
  string("kind"),
  { name: "time", type: "INT64", converted_type: "TIMESTAMP_MILLIS", logical_type: { type: "TIMESTAMP", isAdjustedToUTC: true, unit: "MILLIS" }, repetition_type: "REQUIRED" },
  string("role", true),
  string("author", true),
  string("text"),
  string("event", true),
  string("reason", true),
  string("messageId", true),
  ...stringList("fileIds"),
  ...stringList("fileNames"),
];

/**
 * Streams entries as a Parquet file, one row group per batch of entries: the writer keeps each
 * group's bytes only until they are yielded, and the footer's row-group metadata (a few hundred
 * bytes per group) until the end. Memory is one row group, whatever the number of entries.
 */
export async function* parquetFile(entries: AsyncIterable<ExportEntry>): AsyncGenerator<Uint8Array> {
  const out = new ByteWriter();
  const drain = () => {
    const bytes = out.getBytes().slice();
    out.index = 0;
    return bytes;
  };
  const writer = new ParquetWriter({ writer: out, schema: PARQUET_SCHEMA });
  let rows: ExportEntry[] = [];
  let textChars = 0;
  const writeGroup = () => {
    writer.write({ columnData: ENTRY_FIELDS.map((name) => ({ name, data: rows.map((row) => row[name]) })), rowGroupSize: rows.length });
    rows = [];
    textChars = 0;
    return drain();
  };
  for await (const entry of entries) {
    rows.push(entry);
    textChars += entry.text.length;
    if (rows.length >= PARQUET_ROW_GROUP_ROWS || textChars >= ROW_GROUP_TEXT_CHARS) yield writeGroup();
  }
  if (rows.length > 0) yield writeGroup();
  writer.finish();
  yield drain();
}
