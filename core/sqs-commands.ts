/**
 * The SQS client and the commands our code sends, for `import()` on first use (core/aws.ts `sqs()`
 * and the callers' commands): `import("@aws-sdk/client-sqs")` keeps the package's whole namespace
 * (every command and its schemas, as esbuild does not tree-shake a dynamic import), named
 * re-exports keep only these (issue #15, docs/deploy.md "Cold path"). Import the commands from here:
 *   const { SendMessageCommand } = await import("./sqs-commands.ts");
 */
export { DeleteMessageBatchCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageBatchCommand, SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
