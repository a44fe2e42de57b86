import { Chip, Stack } from "@mui/material";
import { useRecordContext, useTranslate } from "react-admin";

/** The distinct roles of a user's assignments, as chips. */
export const RolesField = (_props: { label?: string; source?: string }) => {
  const record = useRecordContext();
  const translate = useTranslate();
  const roles = [...new Set(((record?.assignments ?? []) as { role: string }[]).map((a) => a.role))];
  if (!roles.length) return <>—</>;
  return (
    <Stack direction="row" sx={{ flexWrap: "wrap", gap: 0.5 }}>
      {roles.map((r) => (
        <Chip key={r} size="small" label={translate(`app.roles.${r}`, { _: r })} />
      ))}
    </Stack>
  );
};
