import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { parse as parseJsonc, printParseErrorCode, type ParseError } from "jsonc-parser";
import { locateJsonError } from "./json-errors.ts";
import { parseJsonText } from "./json.ts";

/*
 * core/json-errors.ts replaces jsonc-parser (kept as a devDependency, the oracle here) for explaining
 * a refused JSON text: for every text, the first error jsonc-parser reports in strict mode — its
 * code and offset — must be what the locator says, and neither finds one where the other does not.
 */

function oracle(text: string): { syntax: string; offset: number } | undefined {
  const errors: ParseError[] = [];
  parseJsonc(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  return errors[0] && { syntax: printParseErrorCode(errors[0].error), offset: errors[0].offset };
}
const refused = (text: string) => {
  try {
    JSON.parse(text);
    return false;
  } catch {
    return true;
  }
};

describe("JSON error locator against jsonc-parser (oracle)", () => {
  it("gives the same first error for hand-picked refused texts (every error code, comments, quirks of the scanner)", () => {
    const texts = [
      "", " ", "\n\t", "{", "[", "}", "]", ":", ",", "{}x", "[] []", "nul", "truex", "True", "undefined", "NaN", "-", "-a", "--1", "+1", ".5", "1.", "1.e5", "1e", "1e+", "1E-x", "01", "-0", "0x10", "1_000",
      '"abc', '"a\\', '"a\\x"', '"\\u12"', '"\\u12G4"', '"a\u0001b"', '"a\u0001\\q"', '"a\u0001', '"line\nbreak"', '"cr\rx"', '"tab\tx"', "'single'",
      "{a:1}", '{"a"}', '{"a" 1}', '{"a":}', '{"a":1,}', '{"a":1 "b":2}', '{,"a":1}', '{"a":1,,"b":2}', '{"a":1]', '{"a":[1}',
      "[1,]", "[,1]", "[1 2]", "[1,,2]", "[1}", "[{]", "[[[[", '[1,"2",{"x":[true,false,null,{}]}', "[1] // c", "/* c */ [1]", "[1 /* open", "[/]", "[1/2]",
      "\uFEFF{}", "{}\u0000", "{\u00a0}", "[1]\u2028", "\u000b[1]", "[\f1]", '{"a":1}\r\n{"b":2}', "{\n  \"a\": 1,\n  \"b\": \n}", "[1e999999]", "[-0.0e-0]", '["\\/\\b\\f\\n\\r\\t\\"\\\\"', "[1,2,3",
    ];
    let refusedCount = 0;
    for (const text of texts) {
      if (refused(text)) refusedCount++;
      expect(locateJsonError(text), JSON.stringify(text)).toEqual(oracle(text));
    }
    expect(refusedCount).toBeGreaterThan(70);
  });

  it("gives the same first error as jsonc-parser for thousands of mutated JSON texts (seeded; fast-check prints the seed on failure)", () => {
    const alphabet = [..."{}[]:,\"\\/*-+.eE0123456789 \t\n\rtfnulasrx", "\u0001", "\u00a0", "\uFEFF", "网", "\u2028", "u12", "//", "/*", "*/", "true", "null", "1.", "e+"];
    const mutation = fc.record({ at: fc.nat(10_000), op: fc.constantFrom("insert", "delete", "replace", "truncate"), s: fc.constantFrom(...alphabet) });
    // JSON texts: compact or indented (with CRLF sometimes), then one to four edits
    const text = fc
      .tuple(fc.jsonValue({ maxDepth: 4 }), fc.constantFrom(0, 2, "\t"), fc.boolean(), fc.array(mutation, { minLength: 1, maxLength: 4 }))
      .map(([v, indent, crlf, edits]) => {
        let t = JSON.stringify(v, null, indent) ?? "null";
        if (crlf) t = t.replace(/\n/g, "\r\n");
        for (const { at, op, s } of edits) {
          const i = at % (t.length + 1);
          t = op === "insert" ? t.slice(0, i) + s + t.slice(i) : op === "delete" ? t.slice(0, i) + t.slice(i + 1) : op === "replace" ? t.slice(0, i) + s + t.slice(i + 1) : t.slice(0, i);
        }
        return t;
      });
    let refusedCount = 0;
    fc.assert(
      fc.property(text, (t) => {
        if (refused(t)) refusedCount++;
        expect(locateJsonError(t)).toEqual(oracle(t));
      }),
      { numRuns: 6000, seed: Number(process.env.JSON_FUZZ_SEED ?? 20261205) },
    );
    expect(refusedCount).toBeGreaterThan(3000);
  });

  it("finds no error in texts JSON.parse accepts", () => {
    fc.assert(fc.property(fc.jsonValue(), fc.constantFrom(0, 2), (v, indent) => {
      expect(locateJsonError(JSON.stringify(v, null, indent) ?? "null")).toBeUndefined();
    }), { seed: 7 });
  });

  it("explains a refused request body with syntax, line, column and the text near it", async () => {
    const err = (await parseJsonText('{\n  "name": "网格",\n  "code" "G1"\n}', "Request body").catch((e: unknown) => e)) as { message: string; details: unknown };
    expect(err.message).toBe("Request body is not valid JSON: ':' expected at line 3, column 10");
    expect(err.details).toEqual({ problem: "invalid_json", syntax: "ColonExpected", line: 3, column: 10, near: '  "code" "G1"' });
    // deep nesting is located without recursion
    expect(locateJsonError("[".repeat(200_000))).toEqual({ syntax: "CloseBracketExpected", offset: 200_000 });
  });
});
