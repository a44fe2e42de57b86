/**
 * What `@aws-sdk/middleware-endpoint-discovery` becomes in a deployed function's bundle (the
 * esbuild alias of stacks/esbuild.ts). DynamoDB's client resolves an endpoint-discovery config at
 * construction: an LRU endpoint cache (mnemonist) and the AWS_ENABLE_ENDPOINT_DISCOVERY setting.
 * DynamoDB does not require endpoint discovery, no code of ours enables it, and none of the
 * client's commands reads the cache, so in a deployed function discovery is off and the cache
 * (about 9 KB with mnemonist) is not bundled; the setting is not read. A client constructed with
 * `endpointDiscoveryEnabled: true` fails loudly instead of silently going without.
 * The exports are the ones client-dynamodb imports; esbuild fails the build if one goes missing.
 */
export const NODE_ENDPOINT_DISCOVERY_CONFIG_OPTIONS = {
  environmentVariableSelector: () => undefined,
  configFileSelector: () => undefined,
  default: undefined,
};

export const resolveEndpointDiscoveryConfig = <T extends { endpointDiscoveryEnabled?: boolean }>(input: T, _options?: unknown) => {
  if (input.endpointDiscoveryEnabled) throw new Error("endpointDiscoveryEnabled: endpoint discovery is not bundled in deployed functions (stacks/esbuild.ts)");
  return Object.assign(input, { endpointDiscoveryEnabled: () => Promise.resolve(false), isClientEndpointDiscoveryEnabled: false });
};
