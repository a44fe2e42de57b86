import { fromEnv } from "@aws-sdk/credential-provider-env";

/**
 * What `@aws-sdk/credential-provider-node` becomes in a deployed function's bundle (the esbuild
 * alias of stacks/esbuild.ts): the default credential chain reduced to its first link, the
 * environment. Lambda puts the execution role's credentials in AWS_ACCESS_KEY_ID,
 * AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, which is where the full chain finds them too (its
 * first link); its other links (SSO, shared ini files, credential_process, web identity, the
 * container and instance metadata endpoints) are never reached in Lambda. Dropping them removes
 * their lazy chunks, and with them the STS/SSO clients' protocol code (AWS query, XML) that
 * esbuild's file-level code splitting had put into the chunks every import reads
 * (docs/deploy.md "Cold path"). Tests, `npm start` and scripts run the source, with the full chain.
 */
export const defaultProvider = (init: Parameters<typeof fromEnv>[0] = {}) => fromEnv(init);
