/**
 * JSON text with errors people can act on: when JSON.parse refuses a text, core/json-errors.ts finds
 * the first error and its offset as jsonc-parser in strict JSON mode did (V8's own message gives a
 * position only for some errors), and the InvalidError says what is wrong at which line and column
 * (1-based).
 *
 * The locator is loaded only then, with a dynamic import: a valid text never needs it, so it is not
 * in any function's initial chunk (docs/deploy.md "Cold path").
 */
import { InvalidError } from "./errors.ts";

/** 1-based line and column of a character offset (a CRLF counts as one line end). */
export function positionAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

const SYNTAX: Record<string, string> = {
  InvalidSymbol: "unexpected character",
  InvalidNumberFormat: "malformed number",
  PropertyNameExpected: "a property name in double quotes expected",
  ValueExpected: "a value expected",
  ColonExpected: "':' expected",
  CommaExpected: "',' expected",
  CloseBraceExpected: "'}' expected",
  CloseBracketExpected: "']' expected",
  EndOfFileExpected: "text after the end of the JSON value",
  InvalidCommentToken: "comments are not allowed in JSON",
  UnexpectedEndOfComment: "unterminated comment",
  UnexpectedEndOfString: "a string is not closed",
  UnexpectedEndOfNumber: "a number is cut short",
  InvalidUnicode: "malformed \\u escape",
  InvalidEscapeCharacter: "invalid escape character",
  InvalidCharacter: "a control character (such as a line break) inside a string",
};

/** JSON.parse, or an InvalidError naming what is wrong and where: `details {problem, syntax, line, column, near}`. */
export async function parseJsonText(text: string, what = "The file"): Promise<unknown> {
  try {
    return JSON.parse(text);
  } catch {
    const { locateJsonError } = await import("./json-errors.ts");
    // JSON.parse refused what the locator accepts (not expected): point at the end
    const { syntax, offset } = locateJsonError(text) ?? { syntax: "ValueExpected", offset: text.length };
    const { line, column } = positionAt(text, offset);
    const lineText = text.split(/\r\n|\r|\n/)[line - 1] ?? "";
    const near = lineText.slice(Math.max(0, column - 21), column + 20);
    throw new InvalidError(`${what} is not valid JSON: ${SYNTAX[syntax] ?? syntax} at line ${line}, column ${column}`, { problem: "invalid_json", syntax, line, column, near });
  }
}

