import { tableName } from "./client.ts";

/**
 * Condition parts the repos share (#16): the optimistic-locking condition of a replace, and the
 * move of a unique-code reference item on a code change.
 */

/**
 * Put only over the version read (`#v = :v` on `version`), or only where nothing is stored yet
 * when `expected` is undefined (`attribute_not_exists(pk)`): spread into a Put.
 */
export const atVersion = (expected: number | undefined) =>
  expected === undefined
    ? { ConditionExpression: "attribute_not_exists(pk)" }
    : { ConditionExpression: "#v = :v", ExpressionAttributeNames: { "#v": "version" }, ExpressionAttributeValues: { ":v": expected } };

/**
 * The two transaction items that move a unique-code reference: put the new reference (only if the
 * code is free) and delete the old one (only while it still names this record: `<idAttribute> = :id`).
 */
export const codeReferenceSwap = (newReference: Record<string, unknown>, oldKey: Record<string, unknown>, idAttribute: string, id: string) => [
  { Put: { TableName: tableName(), Item: newReference, ConditionExpression: "attribute_not_exists(pk)" } },
  { Delete: { TableName: tableName(), Key: oldKey, ConditionExpression: `${idAttribute} = :id`, ExpressionAttributeValues: { ":id": id } } },
];
