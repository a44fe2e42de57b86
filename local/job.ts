import { schedules } from "../functions/schedules.ts";

/** `npm run job -- <name>`: run a scheduled job now on the running local stack (POST /_local/jobs/{name}). */
const name = process.argv[2];
const port = Number(process.env.PORT ?? 3000);
if (!name) {
  console.log(`usage: npm run job -- <name>\njobs: ${schedules.map((s) => `${s.name} (${s.schedule})`).join(", ")}`);
  process.exit(1);
}
const r = await fetch(`http://127.0.0.1:${port}/_local/jobs/${encodeURIComponent(name)}`, { method: "POST" }).catch(() => undefined);
if (!r) {
  console.error(`no local stack on port ${port}: run npm start first`);
  process.exit(1);
}
console.log(r.status, await r.text());
process.exit(r.ok ? 0 : 1);
