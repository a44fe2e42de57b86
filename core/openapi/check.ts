/**
 * A structural check of an OpenAPI 3.1 document, for when Spectral is not installed: the
 * required fields, unique operation ids, declared tags and security schemes, path parameters
 * matching the templates, resolvable `$ref`s, success responses, and schemas whose keywords
 * have the right types (and whose patterns compile). Returns the problems found.
 */

type Json = Record<string, any>;

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
const SCHEMA_TYPES = new Set(["string", "number", "integer", "boolean", "object", "array", "null"]);
const PARAM_IN = new Set(["query", "header", "path", "cookie"]);

function refs(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => refs(n, out));
  else if (node && typeof node === "object") {
    for (const [k, v] of Object.entries(node)) {
      if (k === "$ref" && typeof v === "string") out.push(v);
      else refs(v, out);
    }
  }
  return out;
}

function resolves(doc: Json, ref: string): boolean {
  if (!ref.startsWith("#/")) return false;
  let at: any = doc;
  for (const part of ref.slice(2).split("/")) {
    at = at?.[part.replace(/~1/g, "/").replace(/~0/g, "~")];
    if (at === undefined) return false;
  }
  return true;
}

function checkSchema(s: unknown, where: string, problems: string[]): void {
  if (typeof s === "boolean") return;
  if (!s || typeof s !== "object" || Array.isArray(s)) {
    problems.push(`${where}: a schema must be an object or a boolean`);
    return;
  }
  const o = s as Json;
  if (o.type !== undefined) {
    const types = Array.isArray(o.type) ? o.type : [o.type];
    for (const t of types) if (!SCHEMA_TYPES.has(t)) problems.push(`${where}: unknown type ${JSON.stringify(t)}`);
  }
  if (o.required !== undefined && (!Array.isArray(o.required) || o.required.some((r: unknown) => typeof r !== "string"))) problems.push(`${where}: required must be a list of names`);
  if (o.enum !== undefined && (!Array.isArray(o.enum) || !o.enum.length)) problems.push(`${where}: enum must be a non-empty list`);
  if (Array.isArray(o.enum) && new Set(o.enum.map((e: unknown) => JSON.stringify(e))).size !== o.enum.length) problems.push(`${where}: enum has duplicates`);
  if (o.pattern !== undefined) {
    try {
      new RegExp(o.pattern, "u");
    } catch {
      problems.push(`${where}: pattern does not compile`);
    }
  }
  for (const k of ["minLength", "maxLength", "minItems", "maxItems"]) if (o[k] !== undefined && !(Number.isInteger(o[k]) && o[k] >= 0)) problems.push(`${where}: ${k} must be a non-negative integer`);
  if (o.properties !== undefined) {
    if (typeof o.properties !== "object" || Array.isArray(o.properties)) problems.push(`${where}: properties must be an object`);
    else for (const [k, v] of Object.entries(o.properties)) checkSchema(v, `${where}.properties.${k}`, problems);
  }
  for (const k of ["items", "additionalProperties", "not", "propertyNames", "contains"]) if (o[k] !== undefined) checkSchema(o[k], `${where}.${k}`, problems);
  for (const k of ["anyOf", "oneOf", "allOf", "prefixItems"]) {
    if (o[k] === undefined) continue;
    if (!Array.isArray(o[k]) || !o[k].length) problems.push(`${where}: ${k} must be a non-empty list`);
    else o[k].forEach((v: unknown, i: number) => checkSchema(v, `${where}.${k}[${i}]`, problems));
  }
}

function checkContent(content: unknown, where: string, problems: string[]): void {
  if (!content || typeof content !== "object" || !Object.keys(content).length) {
    problems.push(`${where}: content must name at least one media type`);
    return;
  }
  for (const [type, media] of Object.entries(content as Json)) {
    if (!/^[\w.+-]+\/[\w.+*-]+$/.test(type)) problems.push(`${where}: bad media type ${type}`);
    if (media?.schema !== undefined) checkSchema(media.schema, `${where}.${type}.schema`, problems);
  }
}

export function checkOpenApi(doc: Json): string[] {
  const problems: string[] = [];
  if (typeof doc.openapi !== "string" || !/^3\.1\.\d+$/.test(doc.openapi)) problems.push("openapi must be 3.1.x");
  if (typeof doc.info?.title !== "string" || !doc.info.title) problems.push("info.title is required");
  if (typeof doc.info?.version !== "string" || !doc.info.version) problems.push("info.version is required");
  if (!doc.info?.description) problems.push("info.description should say what the API is");
  if (!doc.info?.contact) problems.push("info.contact should be given");
  if (!Array.isArray(doc.servers) || !doc.servers.length || doc.servers.some((s: Json) => typeof s.url !== "string" || !s.url)) problems.push("servers must list at least one url");
  const tags = new Set<string>((doc.tags ?? []).map((t: Json) => t.name));
  for (const t of doc.tags ?? []) if (!t.description) problems.push(`tag ${t.name} has no description`);
  const schemes = new Set(Object.keys(doc.components?.securitySchemes ?? {}));
  for (const [name, s] of Object.entries((doc.components?.securitySchemes ?? {}) as Record<string, Json>)) {
    if (!["apiKey", "http", "oauth2", "openIdConnect", "mutualTLS"].includes(s.type)) problems.push(`securityScheme ${name}: bad type`);
    if (s.type === "apiKey" && (!s.name || !["query", "header", "cookie"].includes(s.in))) problems.push(`securityScheme ${name}: apiKey needs name and in`);
    if (s.type === "http" && !s.scheme) problems.push(`securityScheme ${name}: http needs a scheme`);
  }
  const ids = new Set<string>();
  if (!doc.paths || typeof doc.paths !== "object") problems.push("paths is required");
  for (const [path, item] of Object.entries((doc.paths ?? {}) as Record<string, Json>)) {
    if (!path.startsWith("/")) problems.push(`path ${path} must start with /`);
    const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
    for (const [method, op] of Object.entries(item)) {
      const where = `${method.toUpperCase()} ${path}`;
      if (!METHODS.includes(method)) {
        problems.push(`${where}: not an HTTP method`);
        continue;
      }
      if (!op.operationId) problems.push(`${where}: operationId missing`);
      else if (ids.has(op.operationId)) problems.push(`${where}: operationId ${op.operationId} is not unique`);
      else ids.add(op.operationId);
      if (!op.summary && !op.description) problems.push(`${where}: no summary or description`);
      if (!Array.isArray(op.tags) || !op.tags.length) problems.push(`${where}: no tags`);
      for (const t of op.tags ?? []) if (!tags.has(t)) problems.push(`${where}: tag ${t} is not declared at the root`);
      const params: Json[] = op.parameters ?? [];
      const seen = new Set<string>();
      for (const p of params) {
        if (p.$ref) continue;
        if (!p.name || !PARAM_IN.has(p.in)) problems.push(`${where}: parameter needs name and in`);
        const k = `${p.in}:${p.name}`;
        if (seen.has(k)) problems.push(`${where}: parameter ${k} is declared twice`);
        seen.add(k);
        if (p.in === "path" && p.required !== true) problems.push(`${where}: path parameter ${p.name} must be required`);
        if (p.in === "path" && !templated.includes(p.name)) problems.push(`${where}: path parameter ${p.name} is not in the path`);
        if (p.schema === undefined && p.content === undefined) problems.push(`${where}: parameter ${p.name} has no schema`);
        else if (p.schema !== undefined) checkSchema(p.schema, `${where} parameter ${p.name}`, problems);
      }
      for (const name of templated) if (!params.some((p) => p.in === "path" && p.name === name)) problems.push(`${where}: path parameter {${name}} is not declared`);
      if (op.requestBody) checkContent(op.requestBody.content, `${where} requestBody`, problems);
      const responses = Object.entries((op.responses ?? {}) as Record<string, Json>);
      if (!responses.length) problems.push(`${where}: no responses`);
      if (!responses.some(([code]) => /^[23]\d\d$/.test(code))) problems.push(`${where}: no success response`);
      for (const [code, r] of responses) {
        if (!/^[1-5](\d\d|XX)$/.test(code) && code !== "default") problems.push(`${where}: bad response code ${code}`);
        if (r.$ref) continue;
        if (typeof r.description !== "string") problems.push(`${where} ${code}: response description is required`);
        if (r.content) checkContent(r.content, `${where} ${code}`, problems);
      }
      for (const req of op.security ?? []) for (const name of Object.keys(req)) if (!schemes.has(name)) problems.push(`${where}: security scheme ${name} is not declared`);
    }
  }
  for (const [name, s] of Object.entries((doc.components?.schemas ?? {}) as Json)) checkSchema(s, `components.schemas.${name}`, problems);
  for (const [name, r] of Object.entries((doc.components?.responses ?? {}) as Record<string, Json>)) {
    if (typeof r.description !== "string") problems.push(`components.responses.${name}: description is required`);
    if (r.content) checkContent(r.content, `components.responses.${name}`, problems);
  }
  for (const ref of new Set(refs(doc))) if (!resolves(doc, ref)) problems.push(`$ref ${ref} does not resolve`);
  return problems;
}
