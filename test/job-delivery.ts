/**
 * Delivers one jobs-queue message (argv[2], its JSON body) to the real jobs consumer handler in a
 * process of its own, on the stack the environment names, and prints `RESULT <json>` when done: the
 * lease tests (core/job/lease.test.ts) freeze such a run mid-way (SIGSTOP), as a Lambda that died
 * holding its job, and let it go on later.
 */
import { deliverJob } from "./jobs-queue.ts";

const result = await deliverJob(JSON.parse(process.argv[2])).then(
  (ok) => ({ ok }),
  (e) => ({ failed: (e as { recordErrors?: Error[] }).recordErrors?.map((r) => r.name) ?? [(e as Error).name] }),
);
process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
process.exit(0);
