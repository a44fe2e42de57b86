/** Console messages of this area (English); merged by i18n/en.ts. */
export default {
  "app": {
    "categories": {
      "effective": "Effective limit",
      "source": "Comes from",
      "sources": {
        "category": "This category",
        "parent": "Parent category",
        "county": "County default (settings)"
      }
    },
    "settings_page": {
      "title": "Settings",
      "case_defaults": "County defaults for cases",
      "case_defaults_help": "Used when neither a category nor its parent sets a limit. The claim limit is the length of the claim window.",
      "stage": "Stage",
      "amount": "Limit",
      "unit": "Unit",
      "evaluation_default": "Evaluation given when the reporter does not evaluate in time",
      "supervise_after": "Hours an overdue case may hang before supervision, and between reminders",
      "saved": "Settings saved",
      "county": "County",
      "version": "Version %{version}",
      "privacy": "Personal data (PIPL): quotas and retention",
      "privacy_help": "Limits on looking at residents' ID numbers and phones, and how long personal data and the audit trail are kept. A user over a quota is refused, and every refusal is in the audit log for the county admin.",
      "privacy_range": "%{min}–%{max}, default %{def}",
      "privacy_fields": {
        "searchesPerUserHour": "Exact searches by ID number or phone per user per hour",
        "revealsPerUserDay": "Reveals of personal data per user in 24 hours",
        "residentRetentionDays": "Days a resident account may stay unused before it is deleted",
        "auditRetentionMonths": "Months the audit trail is kept",
        "revealsPerUnitDay": "Records of one community revealed per day (everyone together)",
        "caseAttachmentRetentionDays": "Days after a case closed before its photos and attachments are deleted",
        "movedAwayRetentionDays": "Days after a person is marked as moved away before they are deleted",
        "unattachedUploadRetentionHours": "Hours before an uploaded photo or voice note never attached to a case, visit or patrol is deleted",
        "importFileRetentionDays": "Days before import files (uploaded sheets, error reports, activation-code sheets) are deleted after the import",
        "dutyPhotoRetentionDays": "Days before evidence photos of visits, patrols and tasks are deleted after the record"
      },
      "masks": "How ID numbers and phones are masked",
      "mask_id_trailing": "ID number: last characters shown",
      "mask_phone_leading": "Phone: beginning",
      "mask_phone_no_prefix": "hidden",
      "mask_phone_prefix": "first 3 shown (carrier prefix)",
      "mask_phone_trailing": "Phone: last digits shown",
      "mask_trailing_n": "%{n}",
      "mask_preview": "Example: %{value}"
    }
  }
};
