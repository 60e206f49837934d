// RFC 4180 CSV that a spreadsheet opens as plain text: every cell is quoted where it needs to be,
// lines end in CRLF, and a cell a spreadsheet would run as a formula is defused first.

/**
 * Characters that make Excel, LibreOffice or Google Sheets read a cell as a formula (OWASP's CSV
 * injection list). Leading whitespace is checked past too: some spreadsheets trim it first.
 */
const FORMULA_START = /^[\s\u00a0\ufeff]*[=+\-@\t\r]/;

/** A cell a spreadsheet would evaluate gets a leading single quote, which it shows as text. */
export function defuseFormula(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** One cell: defused, then quoted (doubling inner quotes) when it holds a comma, quote or line break. */
export function csvCell(value: string | null): string {
  if (value === null) return "";
  const safe = defuseFormula(value);
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** One record, CRLF-terminated. */
export function csvRow(cells: (string | null)[]): string {
  return `${cells.map(csvCell).join(",")}\r\n`;
}
