/** Console messages of this area (English); merged by i18n/en.ts. */
export default {
  "app": {
    "inbox": {
      "types": { "task": { "assigned": "New task", "done": "Task done" }, "visits": { "overdue": "Visits overdue" }, "patrols": { "missed": "Patrols missed" }, "registry": { "quota_exceeded": "Personal data quota exceeded" } },
      "title": "Notifications",
      "all": "All",
      "unread": "Unread",
      "mark_read": "Mark read",
      "read_all": "Mark this page read",
      "empty": "No notifications",
      "more": "Load more",
      "case": "Case",
      "what": "What",
      "when": "When",
      "read": "Read",
      "open_all": "All notifications"
    }
  }
};
