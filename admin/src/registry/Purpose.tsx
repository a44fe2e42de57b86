/**
 * The structured reason for looking at personal data (reveal, exact search): a purpose code from
 * the API's list (core/registry/schema.ts PURPOSES) and free text; both land in the audit trail.
 */
import { MenuItem, TextField } from "@mui/material";
import { useTranslate } from "react-admin";

export const PURPOSES = ["case_handling", "identity_check", "service_delivery", "public_safety", "data_correction", "other"] as const;
export type Purpose = (typeof PURPOSES)[number];

export const PurposeSelect = ({ value, onChange, testid }: { value: Purpose | ""; onChange: (p: Purpose) => void; testid: string }) => {
  const translate = useTranslate();
  return (
    <TextField
      select
      fullWidth
      size="small"
      label={translate("app.registry.purpose.label")}
      value={value}
      onChange={(e) => onChange(e.target.value as Purpose)}
      sx={{ mb: 2 }}
      slotProps={{ select: { SelectDisplayProps: { "data-testid": testid } as object } }}
    >
      {PURPOSES.map((p) => (
        <MenuItem key={p} value={p} data-testid={`purpose-${p}`}>
          {translate(`app.registry.purpose.options.${p}`)}
        </MenuItem>
      ))}
    </TextField>
  );
};
