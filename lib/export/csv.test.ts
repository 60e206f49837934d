import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { csvCell, csvRow, defuseFormula } from "@/lib/export/csv";

describe("CSV cells a spreadsheet would run as formulas", () => {
  // OWASP CSV injection: = + - @ tab and CR at the start, also after leading whitespace.
  const dangerous = [
    "=1+1",
    "+1+1",
    "-1+1",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\tstarts with a tab",
    "\rstarts with a carriage return",
    '=HYPERLINK("http://evil.example","click")',
    "=cmd|' /C calc'!A0",
    " =1+1",
    "   +1",
    "\u00a0-1",
    "\ufeff@x",
    "\n=1+1",
    "-",
  ];
  it.each(dangerous)("defuses %j with a leading quote", (value) => {
    expect(defuseFormula(value)).toBe(`'${value}`);
    // And it survives quoting: a CSV reader gets the defused text back exactly.
    const [[cell]] = parse(csvRow([value]), { relax_column_count: true }) as string[][];
    expect(cell).toBe(`'${value}`);
  });

  const harmless = ["hello", "1+1=2", "a=b", "email@example.test", "", " plain", "'already quoted", "ok -1"];
  it.each(harmless)("leaves %j as it is", (value) => {
    expect(defuseFormula(value)).toBe(value);
  });
});

describe("RFC 4180", () => {
  it("quotes commas, quotes and line breaks, doubles inner quotes and ends records with CRLF", () => {
    expect(csvCell('say "hi", then\r\nleave')).toBe('"say ""hi"", then\r\nleave"');
    expect(csvCell(null)).toBe("");
    expect(csvRow(["a", "b,c", null])).toBe('a,"b,c",\r\n');
  });

  it("reads back exactly through an independent parser", () => {
    const rows = [
      ["id", "text"],
      ["1", 'quote " and comma , and\nnewline'],
      ["2", "ünïcödé 🎉"],
      ["3", ""],
    ];
    const text = rows.map((row) => csvRow(row)).join("");
    expect(text.split("\r\n")).toHaveLength(5); // 4 records, each ended by CRLF (the bare \n stays inside its quotes)
    expect(parse(text)).toEqual(rows);
  });
});
