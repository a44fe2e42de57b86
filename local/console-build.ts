import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const adminDir = fileURLToPath(new URL("../admin/", import.meta.url));
/** Where the built console lives: admin/dist, or WANGGE_CONSOLE_DIST (absolute) for parallel runs. */
export const consoleDistDir = (): string => process.env.WANGGE_CONSOLE_DIST ?? join(adminDir, "dist");

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "dist" || entry.name === "node_modules") continue;
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** Build the console with Vite when admin/dist is missing or older than its sources. */
export async function ensureConsoleBuilt(log: (m: string) => void): Promise<void> {
  const index = join(consoleDistDir(), "index.html");
  if (!existsSync(join(adminDir, "index.html"))) return;
  if (existsSync(index) && statSync(index).mtimeMs >= newestMtime(adminDir)) return;
  const t0 = Date.now();
  log("building the console (vite)…");
  const { build } = await import("vite");
  // Vite keeps a NODE_ENV it finds (vitest sets "test"), which would give React's development build:
  // tests must drive the console users get, so the build always runs as production.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = "production";
  try {
    await build({ configFile: join(adminDir, "vite.config.ts"), logLevel: "warn", mode: "production" });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
  log(`console built in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}
