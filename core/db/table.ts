/**
 * The one table. Its key schema and indexes are defined here once and used by
 * `stacks/Storage.ts` (AWS) and `local/emulators.ts` (DynamoDB Local), so both homes match.
 * Every index is generic (gsiN with pk/sk strings); docs/data-model.md lists which entity
 * uses which index and how.
 */
export const SCHEMA_VERSION = 1;

export const table = {
  partitionKey: "pk",
  sortKey: "sk",
  timeToLive: "expiresAt",
  /**
   * projection: "ALL" (every attribute), "KEYS_ONLY" or the non-key attributes copied into the index.
   * Each index write bills the size of its entry (docs/cost.md "Billed units"); DynamoDB cannot change
   * a projection in place (a new projection is a new index name, docs/deploy.md).
   */
  indexes: {
    gsi1: { partitionKey: "gsi1pk", sortKey: "gsi1sk", projection: "ALL" },
    gsi2: { partitionKey: "gsi2pk", sortKey: "gsi2sk", projection: "ALL" },
    gsi3: { partitionKey: "gsi3pk", sortKey: "gsi3sk", projection: "ALL" },
  },
} as const satisfies { partitionKey: string; sortKey: string; timeToLive: string; indexes: Record<string, { partitionKey: string; sortKey: string; projection: "ALL" | "KEYS_ONLY" | readonly string[] }> };

export type IndexName = keyof typeof table.indexes;

/** Attribute names of every key attribute (all strings). */
export function keyAttributes(): string[] {
  const names: string[] = [table.partitionKey, table.sortKey];
  for (const ix of Object.values(table.indexes)) names.push(ix.partitionKey, ix.sortKey);
  return names;
}
