/**
 * RFC 4180 CSV for files people exchange with the county (unit imports and exports, job error
 * reports): comma separated, fields quoted with `"` when needed (a `"` inside is doubled), records
 * end with CRLF (LF accepted when reading), a UTF-8 BOM is accepted when reading and written when
 * the file is meant for Excel (which otherwise shows Chinese as mojibake).
 */
import { InvalidError } from "../errors.ts";
import { BOM, toCsv, unneutralise } from "../csv.ts";

export { BOM };


export interface CsvRecord {
  /** physical line (1-based) on which the record starts; quoted fields may span lines */
  line: number;
  fields: string[];
}

/**
 * Parse CSV text into records. Blank lines are skipped. A quote that is not closed, or text after
 * a closing quote, is a malformed file: InvalidError naming the line.
 */
export function parseCsv(text: string): CsvRecord[] {
  const src = text.startsWith(BOM) ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let line = 1;
  /** offset where the current physical line starts (for columns, 1-based) */
  let lineStart = 0;
  let recordLine = 1;
  let i = 0;
  const n = src.length;
  const endRecord = () => {
    if (!(fields.length === 1 && fields[0] === "")) records.push({ line: recordLine, fields: fields.map(unneutralise) });
    fields = [];
  };
  while (i <= n) {
    if (i === n) {
      // end of text: close the last record unless the text ended with a newline
      if (fields.length) endRecord();
      break;
    }
    if (src[i] === '"') {
      // quoted field
      let value = "";
      let j = i + 1;
      const startLine = line;
      const startLineStart = lineStart;
      for (;;) {
        const q = src.indexOf('"', j);
        if (q < 0) {
          const column = i - startLineStart + 1;
          throw new InvalidError(`CSV line ${startLine}, column ${column}: a quoted field is not closed`, { problem: "csv_unclosed_quote", line: startLine, column });
        }
        const chunk = src.slice(j, q);
        for (let k = 0; k < chunk.length; k++) {
          if (chunk.charCodeAt(k) === 10) {
            line++;
            lineStart = j + k + 1;
          }
        }
        value += chunk;
        if (src[q + 1] === '"') {
          value += '"';
          j = q + 2;
          continue;
        }
        j = q + 1;
        break;
      }
      fields.push(value);
      i = j;
      const c = src[i];
      if (c === ",") {
        i++;
        if (i === n) fields.push("");
        continue;
      }
      if (c === "\r" || c === "\n" || c === undefined) {
        i = consumeNewline(src, i);
        if (c !== undefined) {
          line++;
          lineStart = i;
        }
        endRecord();
        recordLine = line;
        if (c === undefined) break;
        continue;
      }
      const column = i - lineStart + 1;
      throw new InvalidError(`CSV line ${line}, column ${column}: unexpected text after a closing quote`, { problem: "csv_text_after_quote", line, column });
    }
    // unquoted field: up to the next comma or line end
    let j = i;
    while (j < n) {
      const c = src.charCodeAt(j);
      if (c === 44 || c === 10 || c === 13) break;
      j++;
    }
    fields.push(src.slice(i, j));
    if (j === n) {
      endRecord();
      break;
    }
    if (src[j] === ",") {
      i = j + 1;
      if (i === n) {
        fields.push("");
        endRecord();
        break;
      }
      continue;
    }
    i = consumeNewline(src, j);
    line++;
    lineStart = i;
    endRecord();
    recordLine = line;
  }
  return records;
}

function consumeNewline(src: string, i: number): number {
  if (src[i] === "\r") return src[i + 1] === "\n" ? i + 2 : i + 1;
  if (src[i] === "\n") return i + 1;
  return i;
}

/** The error report of a job: `line,reason`, with a BOM for Excel. */
export function errorReportCsv(errors: Array<{ line: number; reason: string }>): string {
  return toCsv(["line", "reason"], errors.map((e) => [e.line, e.reason]));
}
