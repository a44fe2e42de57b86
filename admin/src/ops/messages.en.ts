/** Console messages of this area (English); merged by i18n/en.ts. */
export default {
  "app": {
    "ops": {
      "title": "Operations",
      "queues": "Queues",
      "queue": "Queue",
      "visible": "Waiting",
      "in_flight": "In flight",
      "delayed": "Delayed",
      "dead_letters": "Dead letters",
      "failures": "Failures",
      "last_error": "Last error",
      "none": "None",
      "redrive": "Send back",
      "redrive_confirm": "Send %{smart_count} dead-lettered message(s) of “%{queue}” back to their queue for processing? This is recorded in the audit log.",
      "redriven": "%{smart_count} message(s) sent back",
      "jobs": "Jobs",
      "job_kind": "Kind",
      "job_status": "Status",
      "job_progress": "Progress",
      "job_created": "Created",
      "no_jobs": "No jobs yet",
      "refreshed": "Refreshed every 10 s",
      "job_kinds": { "unit-import": "Unit import", "unit-move": "Unit move", "xlsx-import": "Excel import", "export": "Export", "appraisal": "Monthly appraisal" },
      "job_states": { "queued": "Queued", "validating": "Validating", "importing": "Importing", "running": "Running", "succeeded": "Succeeded", "failed": "Failed", "done": "Done", "locked": "Locked", "requested": "Awaiting approval", "approved": "Approved, building", "ready": "Ready to download", "refused": "Refused" },
      "names": {
        "events": "Case events",
        "timeouts": "Deadlines",
        "webhooks": "Webhooks",
        "jobs": "Imports",
        "appraisal": "Appraisals",
        "exports": "Exports"
      }
    }
  }
};
