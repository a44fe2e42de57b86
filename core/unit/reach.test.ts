import { describe, it, expect } from "vitest";
import { pickLocated, type Candidate } from "./reach.ts";

const u = (id: string, path: string, code: string): Candidate => ({ id, path, code, depth: path.split("/").filter(Boolean).length - 1 });
const county = u("c", "/c/", "350206");
const street = u("s", "/c/s/", "350206001");
const community = u("m", "/c/s/m/", "350206001001");
const grid = u("g", "/c/s/m/g/", "350206001001001");
const drawnAll = () => true;

describe("which unit locate answers with", () => {
  it("is the deepest unit whose drawn ancestors all contain the point", () => {
    expect(pickLocated([county, street, community, grid], drawnAll)?.id).toBe("g");
  });
  it("never reaches a grid drawn outside its community (45 km away: only the grid contains the point)", () => {
    expect(pickLocated([grid], drawnAll)).toBeUndefined();
  });
  it("reaches a unit under an undrawn parent (it makes no claim about the point)", () => {
    expect(pickLocated([grid], (id) => id === "g")?.id).toBe("g");
  });
  it("picks the lowest code among overlapping units of one depth, whatever the index order", () => {
    const a = u("a", "/c/s/m/g/a/", "35020600100100102");
    const b = u("b", "/c/s/m/g/b/", "35020600100100101");
    expect(pickLocated([county, street, community, grid, a, b], drawnAll)?.id).toBe("b");
    expect(pickLocated([b, a, grid, community, street, county], drawnAll)?.id).toBe("b");
  });
});
