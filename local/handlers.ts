import { fileURLToPath } from "node:url";

const root = new URL("../", import.meta.url);
const cache = new Map<string, Promise<(...args: any[]) => Promise<any>>>();

/** Load `functions/x/y.handler` the way Lambda would: same file, same export. */
export function loadHandler(spec: string): Promise<(...args: any[]) => Promise<any>> {
  let p = cache.get(spec);
  if (!p) {
    const dot = spec.lastIndexOf(".");
    const file = fileURLToPath(new URL(`${spec.slice(0, dot)}.ts`, root));
    const name = spec.slice(dot + 1);
    p = import(file).then((m) => {
      if (typeof m[name] !== "function") throw new Error(`${spec}: no exported function '${name}'`);
      return m[name];
    });
    cache.set(spec, p);
  }
  return p;
}
