import { rmSync } from "node:fs";
import { resolve } from "node:path";

/** `npm run reset`: wipe the local data folder (a fresh county on next start). */
const dir = resolve(process.env.WANGGE_DATA_DIR ?? ".wangge");
rmSync(dir, { recursive: true, force: true });
console.log(`removed ${dir}`);
