/**
 * A time of day as 24-hour "HH:MM" in every language. The browser's own `<input type="time">`
 * follows the browser's locale (12-hour "上午/下午" or AM/PM in Chromium), so the console uses a
 * text field with the format checked here; "24:00" is accepted as the end of a day where allowed.
 */
import { TextField } from "@mui/material";
import { isTime24, normalizeTime } from "./time24.ts";

export const TimeField = ({
  label,
  value,
  onChange,
  disabled,
  endOfDay,
  testId,
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  disabled?: boolean;
  endOfDay?: boolean;
  testId?: string;
}) => (
  <TextField
    size="small"
    label={label}
    value={value}
    disabled={disabled}
    error={!!value && !isTime24(value, endOfDay)}
    placeholder="08:30"
    onChange={(e) => onChange(e.target.value)}
    onBlur={(e) => onChange(normalizeTime(e.target.value))}
    sx={{ width: 120 }}
    slotProps={{ inputLabel: { shrink: true }, htmlInput: { inputMode: "numeric", maxLength: 5, "data-testid": testId } }}
  />
);
