/**
 * Where a refused JSON text goes wrong (core/json.ts, loaded on first use): the first error that
 * jsonc-parser's `parse(text, errors, { disallowComments: true, allowTrailingComma: false,
 * allowEmptyContent: false })` reports — same code (its `printParseErrorCode` name) at the same
 * offset — without the package (issue #15: −9 KB in every function with a request body).
 * JSON.parse still decides whether a text is valid; this only explains a refusal. It follows
 * jsonc-parser's scanner token by token (its quirks included: white space is space and tab, a word
 * runs until white space or one of `{}[]":,/`, a string token keeps the last of its errors) and its
 * parser's order of checks, with an explicit stack instead of recursion, and stops at the first
 * error. Kept equal by a differential fuzz test against jsonc-parser (devDependency): json-errors.test.ts.
 */

type Token = "{" | "}" | "[" | "]" | ":" | "," | "string" | "number" | "literal" | "unknown" | "comment" | "eof";
type Found = { syntax: string; offset: number };

class Stop {
  readonly found: Found;
  constructor(found: Found) {
    this.found = found;
  }
}

const isDigit = (c: number) => c >= 48 && c <= 57;
const isBlank = (c: number) => c === 32 || c === 9;
const isBreak = (c: number) => c === 10 || c === 13;
const isWord = (c: number) => !isBlank(c) && !isBreak(c) && !"{}[]\":,/".includes(String.fromCharCode(c));
const isHex = (c: number) => isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);

/** The first syntax error of `text` and its offset, as jsonc-parser reports it; undefined if it finds none. */
export function locateJsonError(text: string): Found | undefined {
  const len = text.length;
  let pos = 0;
  let start = 0;
  let token = "eof" as Token; // set by scan() (a cast, so that the checks below are not narrowed to "eof")
  let value = "";

  const fail = (syntax: string, offset = start): never => {
    throw new Stop({ syntax, offset });
  };
  /** One token of jsonc-parser's scanner; returns its scan error, if any (the last one within a string). */
  function scan(): string | undefined {
    start = pos;
    value = "";
    if (pos >= len) return void (token = "eof");
    let c = text.charCodeAt(pos);
    if (isBlank(c) || isBreak(c)) {
      while (pos < len && (isBlank(text.charCodeAt(pos)) || isBreak(text.charCodeAt(pos)))) pos++;
      return scan();
    }
    if ("{}[]:,".includes(text[pos])) return void ((token = text[pos] as Token), pos++);
    if (c === 34) {
      token = "string";
      let error: string | undefined;
      for (pos++; ; ) {
        if (pos >= len) return "UnexpectedEndOfString";
        c = text.charCodeAt(pos);
        if (c === 34) return pos++, error;
        if (c === 92) {
          if (++pos >= len) return "UnexpectedEndOfString";
          const e = text.charCodeAt(pos++);
          if (e === 117) {
            let n = 0;
            while (n < 4 && isHex(text.charCodeAt(pos))) pos++, n++;
            if (n < 4) error = "InvalidUnicode";
          } else if (!'"\\/bfnrt'.includes(String.fromCharCode(e))) error = "InvalidEscapeCharacter";
          continue;
        }
        if (c <= 0x1f) {
          if (isBreak(c)) return "UnexpectedEndOfString";
          error = "InvalidCharacter";
        }
        pos++;
      }
    }
    if (c === 47) {
      const next = text.charCodeAt(pos + 1);
      pos += 1;
      if (next === 47 || next === 42) return void (token = "comment");
      return void (token = "unknown");
    }
    if (c === 45) {
      pos++;
      if (pos === len || !isDigit(text.charCodeAt(pos))) return void (token = "unknown");
    }
    if (isDigit(text.charCodeAt(pos))) {
      token = "number";
      const from = pos;
      if (text.charCodeAt(pos) === 48) pos++;
      else while (pos < len && isDigit(text.charCodeAt(pos))) pos++;
      if (text.charCodeAt(pos) === 46) {
        pos++;
        if (!isDigit(text.charCodeAt(pos))) return "UnexpectedEndOfNumber";
        while (isDigit(text.charCodeAt(pos))) pos++;
      }
      let end = pos;
      if (text.charCodeAt(pos) === 69 || text.charCodeAt(pos) === 101) {
        pos++;
        if (text.charCodeAt(pos) === 43 || text.charCodeAt(pos) === 45) pos++;
        if (!isDigit(text.charCodeAt(pos))) return "UnexpectedEndOfNumber";
        while (isDigit(text.charCodeAt(pos))) pos++;
        end = pos;
      }
      value = text.slice(start, end);
      return;
    }
    while (pos < len && isWord(text.charCodeAt(pos))) pos++;
    value = text.slice(start, pos);
    token = value === "true" || value === "false" || value === "null" ? "literal" : "unknown";
  }
  /** The parser's scanNext: the next token that is not white space, failing at a scan error, a comment or an unknown word. */
  function next(): Token {
    const error = scan();
    if (error) fail(error);
    if (token === "comment") fail("InvalidCommentToken");
    if (token === "unknown") fail("InvalidSymbol");
    return token;
  }

  const stack: Array<{ object: boolean; needsComma: boolean }> = [];
  /** parseValue on the current token; false where jsonc-parser's parseValue returns false (the caller says ValueExpected). */
  function value_(): boolean {
    if (token === "[" || token === "{") {
      stack.push({ object: token === "{", needsComma: false });
      next();
      return true;
    }
    if (token === "string" || token === "literal" || token === "number") {
      if (token === "number" && Number.isNaN(Number(value))) fail("InvalidNumberFormat");
      next();
      afterValue();
      return true;
    }
    return false;
  }
  const afterValue = () => {
    const top = stack.at(-1);
    if (top) top.needsComma = true;
  };

  try {
    if (next() === "eof") fail("ValueExpected");
    if (!value_()) fail("ValueExpected");
    while (stack.length) {
      const top = stack.at(-1)!;
      const close = top.object ? "}" : "]";
      if (token === close || token === "eof") {
        if (token !== close) fail(top.object ? "CloseBraceExpected" : "CloseBracketExpected");
        stack.pop();
        next();
        afterValue();
        continue;
      }
      if (token === ",") {
        if (!top.needsComma) fail("ValueExpected");
        next();
      } else if (top.needsComma) fail("CommaExpected");
      if (top.object) {
        if (token !== "string") fail("PropertyNameExpected");
        if (next() !== ":") fail("ColonExpected");
        next();
      }
      // a property value or an element: a container pushed here is entered on the next turn;
      // the element's needsComma is set when it is done (afterValue)
      if (!value_()) fail("ValueExpected");
    }
    if (token !== "eof") fail("EndOfFileExpected");
    return undefined;
  } catch (e) {
    if (e instanceof Stop) return e.found;
    throw e;
  }
}
