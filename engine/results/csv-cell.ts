// Text cells of the CSV files lpe writes (headers, statuses), per RFC 4180 and safe to open in
// a spreadsheet:
//   - a cell holding a comma, a double quote, CR or LF is quoted, quotes doubled (RFC 4180);
//   - a text cell starting with = + - @ (or a tab or CR), which Excel, LibreOffice and Google
//     Sheets would run as a formula, gets a single quote in front, inside quotes: "'=cmd()".
//     A cell that already starts with quotes before such a character gets one more quote, so
//     that csvTextValue undoes the guard exactly.
// Numbers never pass through here (formatNumber writes them): -0.5 stays a number.

const NEEDS_QUOTES = /[",\r\n]/;
/** Leading characters a spreadsheet reads as the start of a formula (after any quotes). */
const FORMULA_START = /^'*[=+\-@\t\r]/;

/** A text cell: guarded against formula injection, quoted when needed (RFC 4180). */
export function csvText(s: string): string {
  if (FORMULA_START.test(s)) return `"'${s.replace(/"/g, '""')}"`;
  return NEEDS_QUOTES.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The text of a whole cell written by csvText (quotes and the formula guard undone). */
export function csvTextValue(cell: string): string {
  const s = cell.length >= 2 && cell.startsWith('"') && cell.endsWith('"') ? cell.slice(1, -1).replace(/""/g, '"') : cell;
  return s.startsWith("'") && FORMULA_START.test(s.slice(1)) ? s.slice(1) : s;
}

/** A CSV line of text cells (without the line break). */
export function csvTextRow(cells: readonly string[]): string {
  return cells.map(csvText).join(",");
}
