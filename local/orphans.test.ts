import { describe, it, expect } from "vitest";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../", import.meta.url));

async function reachable(url: string): Promise<boolean> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(500) });
    return true;
  } catch {
    return false;
  }
}

describe("the embedded stack's emulators", () => {
  it("leaves no DynamoDB Local behind when its parent process is killed with SIGKILL", async () => {
    const child = spawn(process.execPath, ["--input-type=module", "-e", `const m = await import(${JSON.stringify(root + "local/stack.ts")}); const s = await m.startStack({ async: false }); console.log("READY " + s.env.AWS_ENDPOINT_URL_DYNAMODB);`], {
      cwd: root,
      stdio: ["ignore", "pipe", "inherit"],
    });
    const endpoint = await new Promise<string>((resolve, reject) => {
      let out = "";
      child.stdout!.on("data", (d) => {
        out += d;
        const m = /READY (\S+)/.exec(out);
        if (m) resolve(m[1]);
      });
      child.once("exit", (code) => reject(new Error(`stack exited early (${code}): ${out}`)));
    });
    expect(await reachable(endpoint)).toBe(true);
    child.kill("SIGKILL");
    let gone = false;
    for (let i = 0; i < 100 && !gone; i++) {
      gone = !(await reachable(endpoint));
      if (!gone) await new Promise((r) => setTimeout(r, 100));
    }
    expect(gone).toBe(true);
  });
});
