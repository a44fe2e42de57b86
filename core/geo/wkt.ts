/**
 * WKT <-> GeoJSON for unit boundaries (CSV import/export of the unit tree).
 *
 * Accepted: `POLYGON ((x y, ...), (...))` and `MULTIPOLYGON (((x y, ...)), ((...)))`, case-insensitive, any
 * whitespace, optional `Z` with a third ordinate (dropped), optional EWKT prefix `SRID=4326;`. Coordinates are
 * "lng lat". Parsed geometry is validated with the Boundary schema. Output uses the shortest decimal form of
 * each number (`String(n)`), so formatWkt ∘ parseWkt and parseWkt ∘ formatWkt are identities on valid input.
 */
import { InvalidError } from "../errors.ts";
import { parse } from "../validate.ts";
import { Boundary } from "./schema.ts";

type Token = { kind: "word" | "number" | "(" | ")" | "," | ";" | "="; text: string; at: number };

const TOKEN = /([A-Za-z]+)|([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)|([(),;=])/y;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  for (;;) {
    while (pos < text.length && /\s/.test(text[pos])) pos++;
    if (pos >= text.length) return tokens;
    TOKEN.lastIndex = pos;
    const m = TOKEN.exec(text);
    if (!m) throw malformed(`unexpected character '${text[pos]}'`, pos, text);
    if (m[1] !== undefined) tokens.push({ kind: "word", text: m[1].toUpperCase(), at: pos });
    else if (m[2] !== undefined) tokens.push({ kind: "number", text: m[2], at: pos });
    else tokens.push({ kind: m[3] as Token["kind"], text: m[3], at: pos });
    pos = TOKEN.lastIndex;
  }
}

function malformed(reason: string, at: number, text: string): InvalidError {
  const excerpt = text.slice(Math.max(0, at - 15), at + 15);
  return new InvalidError(`Malformed WKT: ${reason} at character ${at + 1}`, { at: at + 1, near: excerpt });
}

/** Maximum WKT length accepted (about 50,000 positions at full double precision). */
export const MAX_WKT_LENGTH = 2_500_000;

/** Parse a WKT POLYGON or MULTIPOLYGON into a validated GeoJSON boundary; throws InvalidError. */
export function parseWkt(text: string): Boundary {
  if (typeof text !== "string" || text.trim() === "") throw new InvalidError("Malformed WKT: empty text");
  if (text.length > MAX_WKT_LENGTH) {
    throw new InvalidError(`Malformed WKT: longer than ${MAX_WKT_LENGTH} characters`, { length: text.length });
  }
  const tokens = tokenize(text);
  let i = 0;
  const end = text.length;
  const peek = () => tokens[i];
  const next = (kind: Token["kind"], what: string): Token => {
    const t = tokens[i];
    if (!t) throw malformed(`expected ${what} but the text ended`, end, text);
    if (t.kind !== kind) throw malformed(`expected ${what} but found '${t.text}'`, t.at, text);
    i++;
    return t;
  };

  // optional EWKT SRID prefix
  if (peek()?.kind === "word" && peek().text === "SRID") {
    i++;
    next("=", "'='");
    const srid = next("number", "an SRID number");
    if (Number(srid.text) !== 4326) {
      throw malformed(`only SRID=4326 (WGS84 lng/lat) is supported, got ${srid.text}`, srid.at, text);
    }
    next(";", "';'");
  }

  const head = next("word", "POLYGON or MULTIPOLYGON");
  if (head.text !== "POLYGON" && head.text !== "MULTIPOLYGON") {
    throw malformed(`expected POLYGON or MULTIPOLYGON but found '${head.text}'`, head.at, text);
  }
  let dims = 2;
  if (peek()?.kind === "word") {
    const t = peek();
    if (t.text === "EMPTY") throw malformed("an empty geometry is not a boundary", t.at, text);
    if (t.text !== "Z") throw malformed(`only 2D or Z coordinates are supported, found '${t.text}'`, t.at, text);
    dims = 3;
    i++;
    if (peek()?.kind === "word" && peek().text === "EMPTY") {
      throw malformed("an empty geometry is not a boundary", peek().at, text);
    }
  }

  const position = (): number[] => {
    const coords: number[] = [];
    while (peek()?.kind === "number") coords.push(Number(tokens[i++].text));
    if (coords.length !== dims) {
      const t = peek();
      throw malformed(
        `a position needs ${dims} numbers (${dims === 2 ? "lng lat" : "lng lat z"}), found ${coords.length}`,
        t ? t.at : end,
        text,
      );
    }
    return coords.slice(0, 2);
  };
  const list = <T>(item: () => T, what: string): T[] => {
    next("(", `'(' opening ${what}`);
    const items = [item()];
    while (peek()?.kind === ",") {
      i++;
      items.push(item());
    }
    next(")", `',' or ')' closing ${what}`);
    return items;
  };
  const ring = () => list(position, "a ring");
  const polygon = () => list(ring, "a polygon");

  const geometry =
    head.text === "POLYGON"
      ? { type: "Polygon", coordinates: polygon() }
      : { type: "MultiPolygon", coordinates: list(polygon, "a multipolygon") };
  if (i < tokens.length) throw malformed(`unexpected '${tokens[i].text}' after the geometry`, tokens[i].at, text);
  return parse(Boundary, geometry, "boundary");
}

function num(n: number): string {
  return Object.is(n, -0) ? "0" : String(n);
}

function ringWkt(ring: readonly (readonly number[])[]): string {
  return `(${ring.map((p) => `${num(p[0])} ${num(p[1])}`).join(", ")})`;
}

function polygonWkt(rings: readonly (readonly (readonly number[])[])[]): string {
  return `(${rings.map(ringWkt).join(", ")})`;
}

/** Format a boundary as WKT: `POLYGON ((lng lat, ...))` or `MULTIPOLYGON (((lng lat, ...)))`. */
export function formatWkt(boundary: Boundary): string {
  return boundary.type === "Polygon"
    ? `POLYGON ${polygonWkt(boundary.coordinates)}`
    : `MULTIPOLYGON (${boundary.coordinates.map(polygonWkt).join(", ")})`;
}
