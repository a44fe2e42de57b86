import { describe, it, expect } from "vitest";
import { InvalidError } from "../errors.ts";
import { parseJsonText, positionAt } from "../json.ts";
import { parseCsv } from "../job/csv.ts";
import { readImportFile } from "./import-parse.ts";

/** The details of the InvalidError `fn` throws (or its promise rejects with). */
async function detailsOf(fn: () => unknown): Promise<Record<string, unknown>> {
  try {
    await fn();
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidError);
    return { message: (e as InvalidError).message, ...((e as InvalidError).details as object) };
  }
  throw new Error("did not throw");
}

describe("import files that cannot be read say what and where", () => {
  it("locates a JSON syntax error by line and column, also where V8 gives no position", async () => {
    const text = '{\n  "type": "FeatureCollection",\n  "features": [\n    {"type": "Feature",}\n  ]\n}';
    expect(await detailsOf(() => readImportFile("geojson", text))).toMatchObject({
      problem: "invalid_json",
      syntax: "PropertyNameExpected",
      line: 4,
      column: 24,
      message: "The file is not valid JSON: a property name in double quotes expected at line 4, column 24",
    });
    // V8: `Unexpected token '}', "{"a": }" is not valid JSON` — no position of its own
    expect(await detailsOf(() => parseJsonText('{"a": }'))).toMatchObject({ syntax: "ValueExpected", line: 1, column: 7 });
    expect(await detailsOf(() => parseJsonText('[1,2,]'))).toMatchObject({ syntax: "ValueExpected", line: 1, column: 6 });
    expect(await detailsOf(() => parseJsonText('{"a": 1'))).toMatchObject({ syntax: "CloseBraceExpected", line: 1, column: 8 });
    expect(await detailsOf(() => parseJsonText(""))).toMatchObject({ syntax: "ValueExpected", line: 1, column: 1 });
    expect(await detailsOf(() => parseJsonText('{"name": "第1\n网格"}'))).toMatchObject({ syntax: "UnexpectedEndOfString", line: 1 });
  });

  it("names what a JSON file that is not a FeatureCollection is", async () => {
    expect(await detailsOf(() => readImportFile("geojson", '{"type": "Feature", "properties": {}}'))).toMatchObject({ problem: "not_feature_collection", found: "Feature" });
    expect(await detailsOf(() => readImportFile("geojson", "[]"))).toMatchObject({ problem: "not_feature_collection", found: "array" });
  });

  it("locates CSV quoting errors by line and column", async () => {
    expect(await detailsOf(() => parseCsv('code,name\r\n1,"open\r\n2,b\r\n'))).toMatchObject({ problem: "csv_unclosed_quote", line: 2, column: 3 });
    expect(await detailsOf(() => parseCsv('code,name\n1,"a"x\n'))).toMatchObject({ problem: "csv_text_after_quote", line: 2, column: 6 });
    expect(await detailsOf(() => parseCsv('code,name\n1,"multi\nline"\n2,"b"c\n'))).toMatchObject({ problem: "csv_text_after_quote", line: 4, column: 6 });
    expect(await detailsOf(() => readImportFile("csv", "code,name\n1,a\n"))).toMatchObject({ problem: "csv_missing_columns", line: 1, missing: ["parent_code"] });
    expect(await detailsOf(() => readImportFile("csv", ""))).toMatchObject({ problem: "csv_empty" });
  });

  it("counts lines across LF, CRLF and CR", () => {
    expect(positionAt("a\r\nb\nc\rd", 7)).toEqual({ line: 4, column: 1 });
    expect(positionAt("abc", 2)).toEqual({ line: 1, column: 3 });
  });
});
