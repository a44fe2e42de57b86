import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { formatWkt, parseWkt } from "./wkt.ts";
import { InvalidError } from "../errors.ts";
import type { Boundary } from "./schema.ts";
import { syntheticCounty } from "./synthetic.ts";

const withHole: Boundary = {
  type: "Polygon",
  coordinates: [
    [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]],
    [[2, 2], [2, 4], [4, 4], [4, 2], [2, 2]],
  ],
};
const multi: Boundary = {
  type: "MultiPolygon",
  coordinates: [
    [[[101.5, 25.1], [101.6, 25.1], [101.6, 25.2], [101.5, 25.1]]],
    [[[102, 26], [102.5, 26], [102.5, 26.5], [102, 26.5], [102, 26]]],
  ],
};

function invalid(text: string): InvalidError {
  try {
    parseWkt(text);
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidError);
    return e as InvalidError;
  }
  throw new Error(`parsed: ${text}`);
}

describe("formatWkt", () => {
  it("writes POLYGON with holes as lng lat pairs", () => {
    expect(formatWkt(withHole)).toBe("POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0), (2 2, 2 4, 4 4, 4 2, 2 2))");
  });
  it("writes MULTIPOLYGON with one parenthesis level per polygon", () => {
    expect(formatWkt(multi)).toBe(
      "MULTIPOLYGON (((101.5 25.1, 101.6 25.1, 101.6 25.2, 101.5 25.1)), ((102 26, 102.5 26, 102.5 26.5, 102 26.5, 102 26)))",
    );
  });
});

describe("parseWkt", () => {
  it("reads POLYGON and MULTIPOLYGON into GeoJSON", () => {
    expect(parseWkt("POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0), (2 2, 2 4, 4 4, 4 2, 2 2))")).toEqual(withHole);
    expect(parseWkt(formatWkt(multi))).toEqual(multi);
  });

  it("ignores case and whitespace, and reads exponents and signs", () => {
    expect(parseWkt("  polygon((0 0,1e1 0 ,\n\t10 +10,-0.0 10,0 0))")).toEqual({
      type: "Polygon",
      coordinates: [[[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]]],
    });
  });

  it("drops the Z ordinate and accepts an SRID=4326 prefix", () => {
    expect(parseWkt("SRID=4326;POLYGON Z ((0 0 5, 1 0 5, 1 1 5, 0 0 5))")).toEqual({
      type: "Polygon",
      coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]],
    });
  });

  it("rejects malformed text with the character position", () => {
    const e = invalid("POLYGON ((0 0, 1 0, 1 1, 0 0)");
    expect(e.message).toBe("Malformed WKT: expected ',' or ')' closing a polygon but the text ended at character 30");
    expect(invalid("POLYGON ((0 0, 1 0, 1 1, 0 0)) x").message).toBe(
      "Malformed WKT: unexpected 'X' after the geometry at character 32",
    );
    expect(invalid("POLYGON ((0 0, 1 0 3, 1 1, 0 0))").message).toMatch(/a position needs 2 numbers .* found 3/);
    expect(invalid("POLYGON ((0 0, 1, 1 1, 0 0))").message).toMatch(/a position needs 2 numbers .* found 1/);
    expect(invalid("POLYGON ((0 0, 1 0, 1 1; 0 0))").message).toMatch(/expected ',' or '\)' closing a ring but found ';'/);
    expect(invalid("POLYGON ((0 0, 1 0, 1 1, 0 0)").details).toMatchObject({ at: 30 });
    expect(invalid("POLYGON ((0 0, 1 0, 1 1, 0 0) @").message).toMatch(/unexpected character '@' at character 31/);
  });

  it("rejects other geometry types, EMPTY, M coordinates, other SRIDs and empty text", () => {
    expect(invalid("POINT (1 2)").message).toMatch(/expected POLYGON or MULTIPOLYGON but found 'POINT'/);
    expect(invalid("POLYGON EMPTY").message).toMatch(/empty geometry/);
    expect(invalid("POLYGON M ((0 0 1, 1 0 1, 1 1 1, 0 0 1))").message).toMatch(/only 2D or Z/);
    expect(invalid("SRID=3857;POLYGON ((0 0, 1 0, 1 1, 0 0))").message).toMatch(/only SRID=4326/);
    expect(invalid("   ").message).toBe("Malformed WKT: empty text");
    expect(invalid("MULTIPOLYGON ((0 0, 1 0, 1 1, 0 0))").message).toMatch(/expected '\(' opening a ring/);
  });

  it("rejects well-formed WKT whose geometry is invalid, with field paths", () => {
    const e = invalid("POLYGON ((0 0, 1 0, 0 1, 1 1, 0 0))");
    expect(e.message).toBe("Invalid boundary");
    expect(e.details).toMatchObject({ fields: [{ path: "coordinates.0.3" }] });
    expect(invalid("POLYGON ((0 0, 1 0, 1 1, 0 1))").details).toMatchObject({
      fields: [{ path: "coordinates.0.3", message: expect.stringMatching(/not closed/) }],
    });
    expect(invalid("POLYGON ((0 0, 1 0, 1 100, 0 0))").details).toMatchObject({
      fields: [{ path: "coordinates.0.2.1" }],
    });
  });
});

describe("round trip", () => {
  it("parseWkt(formatWkt(b)) equals b for every unit of a synthetic county", () => {
    for (const u of syntheticCounty({ microGrids: 500, communities: [2, 2], grids: [2, 1] })) {
      expect(parseWkt(formatWkt(u.boundary))).toEqual(u.boundary);
    }
  });

  it("round-trips arbitrary doubles exactly, both ways", () => {
    const coord = fc.tuple(
      fc.double({ min: -180, max: 180, noNaN: true }),
      fc.double({ min: -90, max: 90, noNaN: true }),
    );
    fc.assert(
      fc.property(coord, fc.double({ min: 1e-9, max: 1, noNaN: true }), fc.boolean(), ([x, y], size, asMulti) => {
        // a small right triangle anchored at a random point, kept in range
        const x0 = Math.min(x, 179) + 0, y0 = Math.min(y, 89) + 0;
        const ring = [[x0, y0], [x0 + size, y0], [x0, y0 + size], [x0, y0]] as [number, number][];
        const b: Boundary = asMulti
          ? { type: "MultiPolygon", coordinates: [[ring]] }
          : { type: "Polygon", coordinates: [ring] };
        const text = formatWkt(b);
        expect(parseWkt(text)).toEqual(b);
        expect(formatWkt(parseWkt(text))).toBe(text);
      }),
      { numRuns: 300 },
    );
  });
});
