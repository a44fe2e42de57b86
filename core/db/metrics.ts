/**
 * Counts AWS requests per service and operation with an SDK middleware, so benches
 * can report "DynamoDB requests per API call". Costs one map increment per request.
 */
type Stackable = { middlewareStack: { add: (mw: any, opts: any) => void } };

export const requestCounts = new Map<string, number>();

export function countRequests(client: Stackable, service: string): void {
  client.middlewareStack.add(
    (next: any, context: any) => async (args: any) => {
      const key = `${service}:${context.commandName ?? "unknown"}`;
      requestCounts.set(key, (requestCounts.get(key) ?? 0) + 1);
      return next(args);
    },
    { step: "initialize", name: "wanggeRequestCounter" },
  );
}

export function totalRequests(prefix = ""): number {
  let n = 0;
  for (const [k, v] of requestCounts) if (k.startsWith(prefix)) n += v;
  return n;
}

export function resetRequestCounts(): void {
  requestCounts.clear();
}
