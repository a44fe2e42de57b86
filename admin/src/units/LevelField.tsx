import { useRecordContext, useTranslate } from "react-admin";

/** The unit's level: the known level keys translated, a county-specific level by its own name. */
export const LevelField = (_props: { label?: string; source?: string }) => {
  const record = useRecordContext();
  const translate = useTranslate();
  if (!record) return null;
  const key = record.level;
  const fallback = record.levelName ?? (key !== undefined ? String(key) : "—");
  return <>{typeof key === "string" ? translate(`app.unit_levels.${key}`, { _: fallback }) : fallback}</>;
};
