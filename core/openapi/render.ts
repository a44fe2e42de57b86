/**
 * A human-readable API reference rendered on the server from the OpenAPI document: one
 * self-contained HTML page (inline CSS, a few lines of inline JS for filtering), no CDN, no
 * bundle. Schemas are shown as field tables (name, type, constraints, description).
 */

type Json = Record<string, any>;

const esc = (s: unknown): string => String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/** Escaped text with `code` spans and paragraphs. */
function prose(s: string | undefined): string {
  if (!s) return "";
  return s
    .split(/\n{2,}/)
    .map((p) => `<p>${esc(p).replace(/`([^`]+)`/g, "<code>$1</code>")}</p>`)
    .join("");
}

function typeOf(s: Json): string {
  if (!s || typeof s !== "object") return "any";
  if (s.$ref) return String(s.$ref).split("/").pop()!;
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (s.enum) return s.enum.map((v: unknown) => JSON.stringify(v)).join(" | ");
  const alt = s.anyOf ?? s.oneOf;
  if (alt) return alt.map(typeOf).join(" | ");
  if (s.type === "array") return s.prefixItems ? `[${s.prefixItems.map(typeOf).join(", ")}]` : `${typeOf(s.items ?? {})}[]`;
  if (Array.isArray(s.type)) return s.type.join(" | ");
  if (s.type === "object" && !s.properties && s.additionalProperties) return `map<string, ${typeOf(s.additionalProperties)}>`;
  return s.type ?? (s.properties ? "object" : "any");
}

function constraints(s: Json): string {
  const out: string[] = [];
  const add = (k: string, label: string) => s[k] !== undefined && out.push(`${label} ${s[k]}`);
  add("minLength", "min length");
  add("maxLength", "max length");
  add("minimum", "≥");
  add("maximum", "≤");
  add("exclusiveMinimum", ">");
  add("minItems", "min items");
  add("maxItems", "max items");
  if (s.format) out.push(s.format);
  if (s.pattern && String(s.pattern).length < 60) out.push(`pattern ${s.pattern}`);
  if (s.default !== undefined) out.push(`default ${JSON.stringify(s.default)}`);
  return out.join(", ");
}

/** Rows of a schema's fields, nested objects indented (depth-limited). */
function rows(s: Json, prefix: string, required: string[], depth: number): string {
  if (!s || depth > 4) return "";
  const variants = s.oneOf ?? s.anyOf;
  if (variants && !s.properties && variants.some((v: Json) => v.properties)) {
    return variants
      .map((v: Json, i: number) => `<tr class="variant"><td colspan="4">${esc(prefix || "body")} — variant ${i + 1}${v.properties?.action?.const ? ` (<code>${esc(v.properties.action.const)}</code>)` : ""}</td></tr>${rows(v, prefix, v.required ?? [], depth + 1)}`)
      .join("");
  }
  if (s.type === "array" && s.items?.properties) return rows(s.items, `${prefix}[]`, s.items.required ?? [], depth + 1);
  if (!s.properties) return "";
  return Object.entries(s.properties as Record<string, Json>)
    .map(([name, p]) => {
      const path = prefix ? `${prefix}.${name}` : name;
      const nested = p.properties || (p.type === "array" && p.items?.properties) ? rows(p, path, p.required ?? [], depth + 1) : "";
      return `<tr><td><code>${esc(path)}</code>${required.includes(name) ? ' <span class="req">required</span>' : ""}</td><td>${esc(typeOf(p))}</td><td>${esc(constraints(p))}</td><td>${prose(p.description)}</td></tr>${nested}`;
    })
    .join("");
}

function schemaBlock(schema: Json | undefined, doc: Json): string {
  if (!schema) return "";
  const resolved = schema.$ref ? doc.components?.schemas?.[String(schema.$ref).split("/").pop()!] : schema;
  const table = rows(resolved, "", resolved?.required ?? [], 0);
  if (!table) return `<p class="type">${esc(typeOf(schema))}</p>`;
  return `<table class="fields"><thead><tr><th>field</th><th>type</th><th>constraints</th><th>description</th></tr></thead><tbody>${table}</tbody></table>`;
}

function operation(method: string, path: string, op: Json, doc: Json): string {
  const id = esc(op.operationId);
  const params = (op.parameters ?? []) as Json[];
  const paramTable = params.length
    ? `<h4>Parameters</h4><table class="fields"><thead><tr><th>name</th><th>in</th><th>type</th><th>description</th></tr></thead><tbody>${params
        .map((p) => `<tr><td><code>${esc(p.name)}</code>${p.required ? ' <span class="req">required</span>' : ""}</td><td>${esc(p.in)}</td><td>${esc(typeOf(p.schema))}${constraints(p.schema ?? {}) ? `<br><small>${esc(constraints(p.schema))}</small>` : ""}</td><td>${prose(p.description)}</td></tr>`)
        .join("")}</tbody></table>`
    : "";
  const body = op.requestBody
    ? `<h4>Request body</h4>${Object.entries(op.requestBody.content as Record<string, Json>)
        .map(([type, c]) => `<p class="ctype">${esc(type)}</p>${schemaBlock(c.schema, doc)}`)
        .join("")}`
    : "";
  const responses = Object.entries(op.responses as Record<string, Json>)
    .map(([code, r]) => {
      const res = r.$ref ? doc.components.responses[String(r.$ref).split("/").pop()!] : r;
      const ok = code.startsWith("2");
      const contentHtml = ok && res.content ? Object.entries(res.content as Record<string, Json>).map(([type, c]) => `<p class="ctype">${esc(type)}</p>${schemaBlock(c.schema, doc)}`).join("") : "";
      return ok ? `<details open><summary><b class="code ok">${esc(code)}</b> ${esc(res.description)}</summary>${contentHtml}</details>` : `<span class="err"><b class="code">${esc(code)}</b> ${esc(res.description)}</span>`;
    })
    .join("");
  const security = (op.security ?? []).map((s: Json) => Object.keys(s)[0] ?? "anonymous").join(" or ") || "none (public)";
  return `<section class="op" id="${id}" data-search="${esc(`${method} ${path} ${op.summary}`.toLowerCase())}">
<h3><span class="method ${esc(method)}">${esc(method.toUpperCase())}</span> <code class="path">${esc(path)}</code></h3>
<p class="summary">${esc(op.summary)}</p>
${prose(op.description)}
<p class="meta">Auth: <code>${esc(security)}</code> · operationId <code>${id}</code></p>
${paramTable}${body}<h4>Responses</h4><div class="responses">${responses}</div>
</section>`;
}

export function renderReference(doc: Json): string {
  const byTag = new Map<string, string[]>();
  const nav = new Map<string, string[]>();
  for (const [path, ops] of Object.entries(doc.paths as Record<string, Json>)) {
    for (const [method, op] of Object.entries(ops)) {
      const tag = op.tags?.[0] ?? "other";
      byTag.set(tag, [...(byTag.get(tag) ?? []), operation(method, path, op, doc)]);
      nav.set(tag, [...(nav.get(tag) ?? []), `<a href="#${esc(op.operationId)}"><span class="m ${esc(method)}">${esc(method.toUpperCase())}</span> ${esc(path)}</a>`]);
    }
  }
  const tags = (doc.tags as Array<{ name: string; description: string }>).filter((t) => byTag.has(t.name));
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(doc.info.title)} — API reference</title>
<style>
  :root { --b: #d0d7de; --m: #57606a; }
  * { box-sizing: border-box; }
  body { margin: 0; font: 14px/1.5 -apple-system, "Segoe UI", "PingFang SC", "Microsoft YaHei", sans-serif; color: #1f2328; display: flex; }
  nav { width: 320px; height: 100vh; overflow: auto; position: sticky; top: 0; border-right: 1px solid var(--b); padding: 12px; font-size: 12px; background: #f6f8fa; }
  nav h2 { font-size: 13px; margin: 14px 0 4px; text-transform: uppercase; color: var(--m); }
  nav a { display: block; color: inherit; text-decoration: none; padding: 2px 0; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
  nav input { width: 100%; padding: 6px; border: 1px solid var(--b); border-radius: 4px; }
  main { flex: 1; padding: 16px 32px; max-width: 1100px; }
  h1 { margin-top: 0; } h2.tag { border-bottom: 2px solid var(--b); padding-bottom: 4px; margin-top: 40px; }
  .op { border: 1px solid var(--b); border-radius: 6px; padding: 12px 16px; margin: 16px 0; }
  .op h3 { margin: 0; font-size: 15px; } .summary { font-weight: 600; margin: 6px 0; }
  .method, .m { display: inline-block; min-width: 52px; text-align: center; border-radius: 3px; color: #fff; font-size: 11px; padding: 1px 4px; }
  .get { background: #0969da; } .post { background: #1a7f37; } .put { background: #9a6700; } .patch { background: #8250df; } .delete { background: #cf222e; }
  table.fields { border-collapse: collapse; width: 100%; font-size: 12px; margin: 4px 0 8px; }
  table.fields th, table.fields td { border: 1px solid var(--b); padding: 3px 6px; text-align: left; vertical-align: top; }
  table.fields td p { margin: 0; } tr.variant td { background: #f6f8fa; font-weight: 600; }
  .req { color: #cf222e; font-size: 10px; } .meta, .ctype { color: var(--m); font-size: 12px; margin: 4px 0; }
  .responses .err { display: inline-block; margin: 2px 10px 2px 0; color: var(--m); font-size: 12px; }
  .code { font-family: monospace; } .code.ok { color: #1a7f37; }
  code { background: #f6f8fa; padding: 0 3px; border-radius: 3px; }
  @media (max-width: 800px) { body { display: block; } nav { width: auto; height: auto; position: static; } main { padding: 12px; } }
</style></head>
<body>
<nav><input id="q" type="search" placeholder="Filter operations…" aria-label="Filter operations">
${tags.map((t) => `<h2>${esc(t.name)}</h2>${nav.get(t.name)!.join("")}`).join("\n")}
</nav>
<main>
<h1>${esc(doc.info.title)}</h1>
<p>Version ${esc(doc.info.version)} · OpenAPI ${esc(doc.openapi)} · <a href="/v1/openapi.json">openapi.json</a></p>
${prose(doc.info.description)}
<h2>Authentication</h2>
<ul>${Object.entries(doc.components.securitySchemes as Record<string, Json>).map(([name, s]) => `<li><code>${esc(name)}</code>: ${esc(s.type === "http" ? `HTTP ${s.scheme} (${s.bearerFormat ?? ""})` : `${s.in} ${s.name}`)} — ${esc(s.description)}</li>`).join("")}</ul>
<h2>Errors</h2>${schemaBlock(doc.components.schemas.Error, doc)}
${tags.map((t) => `<h2 class="tag" id="tag-${esc(t.name)}">${esc(t.name)}</h2>${prose(t.description)}${byTag.get(t.name)!.join("\n")}`).join("\n")}
</main>
<script>
  document.getElementById("q").addEventListener("input", function (e) {
    var q = e.target.value.toLowerCase();
    document.querySelectorAll(".op").forEach(function (s) { s.style.display = !q || s.dataset.search.indexOf(q) >= 0 ? "" : "none"; });
  });
</script>
</body></html>`;
}
