/**
 * The part of jsonc-parser that explains a refused JSON text (core/json.ts), loaded on first use.
 * Named imports let the bundler keep only the parser and its scanner: a dynamic
 * `import("jsonc-parser")` keeps the whole namespace (formatter, edit, visitor…), which every
 * function with a request body carried in its lazy chunks (issue #15, docs/deploy.md "Cold path").
 */
export { parse, printParseErrorCode } from "jsonc-parser";
