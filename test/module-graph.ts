import { build, type Metafile } from "esbuild";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../", import.meta.url));

/**
 * esbuild's module graph of the entries (paths relative to the checkout): what each reaches
 * statically (`initial`), and with its lazy imports too (`all`: what a container may load).
 * Used by the tests that check a route loads only what it uses (issue #15).
 */
export async function moduleGraph(entries: string[]): Promise<{ initial: (entry: string) => string[]; all: (entry: string) => string[] }> {
  const r = await build({ entryPoints: entries.map((e) => root + e), absWorkingDir: root, bundle: true, splitting: true, outdir: "/tmp/unused", format: "esm", platform: "node", mainFields: ["module", "main"], metafile: true, write: false, logLevel: "silent" });
  const meta: Metafile = r.metafile;
  const reach = (entry: string, lazy: boolean) => {
    const seen = new Set<string>();
    const stack = [entry];
    while (stack.length) {
      const k = stack.pop()!;
      if (seen.has(k) || !meta.inputs[k]) continue;
      seen.add(k);
      for (const i of meta.inputs[k].imports) if (!i.external && (lazy || i.kind !== "dynamic-import")) stack.push(i.path);
    }
    return [...seen];
  };
  return { initial: (e) => reach(e, false), all: (e) => reach(e, true) };
}
