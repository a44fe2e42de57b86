import { describe, expect, it } from "vitest";
import { bill, REFERENCE_COUNTY, type Measured, type PriceList } from "./model.ts";
import { deployment } from "./deployment.ts";
import { WorkloadArgsError, workloadFlags, workloadFromArgs } from "./workload-args.ts";

describe("npm run cost for a county's own numbers", () => {
  it("takes the fields given and keeps the reference county's for the rest", () => {
    const { workload, given } = workloadFromArgs(["--micro-grids=3200", "--cases-per-year=80_000", "--staff=150", "--resident-share=0.3", "--partner-share=0.1", "--json", "--lambda-ms=100"]);
    expect(given).toEqual({ microGrids: 3200, casesPerYear: 80_000, staff: 150, residentShare: 0.3, partnerShare: 0.1 });
    expect(workload).toEqual({ ...REFERENCE_COUNTY, microGrids: 3200, casesPerYear: 80_000, staff: 150, residentShare: 0.3, partnerShare: 0.1 });
    expect(workloadFromArgs([]).workload).toEqual(REFERENCE_COUNTY);
  });

  it("refuses what is not a workload: unknown flags, non-numbers, negative or fractional counts, shares outside 0…1 or adding to more than 1", () => {
    const refused = (argv: string[]) => {
      try {
        workloadFromArgs(argv);
      } catch (e) {
        expect(e).toBeInstanceOf(WorkloadArgsError);
        return (e as Error).message;
      }
      throw new Error(`accepted ${argv.join(" ")}`);
    };
    expect(refused(["--cases=100"])).toMatch(/--cases: not a flag/);
    expect(refused(["--staff=many"])).toMatch(/--staff=many/);
    expect(refused(["--staff="])).toMatch(/--staff=/);
    expect(refused(["--staff"])).toMatch(/--staff/);
    expect(refused(["--staff=-3"])).toMatch(/--staff=-3/);
    expect(refused(["--staff=2.5"])).toMatch(/--staff=2.5/);
    expect(refused(["--micro-grids=0"])).toMatch(/--micro-grids=0/);
    expect(refused(["--resident-share=1.5"])).toMatch(/--resident-share=1.5/);
    expect(refused(["--resident-share=0.7", "--partner-share=0.4"])).toMatch(/cannot add up to more than 1/);
    // every problem at once, each named
    expect(refused(["--staff=x", "--cases-per-year=-1"]).split("\n")).toHaveLength(2);
  });

  it("has a flag for every workload field", () => {
    // and the two optional log sizes the reference county leaves to the capacity bench's measurement
    expect(workloadFlags()).toHaveLength(Object.keys(REFERENCE_COUNTY).length + 2);
    expect(workloadFlags()).toContain("--log-bytes-per-invocation");
    expect(workloadFlags()).toContain("--cases-per-year");
  });

  it("a county with half the cases pays half the case-driven DynamoDB writes (hand-worked: 100,000 vs 200,000 cases a year, one op of 10 WRU per report)", () => {
    const measured: Measured = { operations: { report: { requests: 3, rcu: 0, wcu: 10, consumerEvents: 0, consumerRcuPerEvent: 0, consumerWcuPerEvent: 0 } } } as unknown as Measured;
    const list: PriceList = { region: "test", currency: "USD", retrieved: "2026-12-05", prices: { "dynamodb.writeRequestUnit": { price: 1 / 1_000_000, unit: "WRU", source: "hand" } }, missing: [] } as unknown as PriceList;
    const writes = (casesPerYear: number) => bill(workloadFromArgs([`--cases-per-year=${casesPerYear}`, "--resident-share=0", "--partner-share=0"]).workload, measured, list, deployment({}), {}).lines.find((l) => l.service === "DynamoDB" && l.unit === "WRU");
    // 200,000 / 12 reports × 10 WRU = 166,666.67 WRU; half for 100,000
    expect(writes(200_000)?.quantity).toBeCloseTo(166_666.6667, 3);
    expect(writes(100_000)?.quantity).toBeCloseTo(83_333.3333, 3);
  });
});
