/** Small fields shared by the resources. */
import { Chip, Stack } from "@mui/material";
import { DateField, DataTable, useLocaleState, useRecordContext, useTranslate, type DataTableColumnProps, type DateFieldProps } from "react-admin";
import { intlLocale } from "../i18n/index.ts";

/** A date and time in the console's language. */
export const DateTimeField = (props: DateFieldProps) => {
  const [locale] = useLocaleState();
  return <DateField showTime locales={intlLocale(locale)} options={{ dateStyle: "medium", timeStyle: "short", hourCycle: "h23" }} emptyText="—" {...props} />;
};

/** A list column without a sort button: the API returns lists in its own order. */
export const Col = (props: DataTableColumnProps) => <DataTable.Col disableSort {...props} />;

/** "Active" / "Inactive" as a chip. */
export const ActiveField = (_props: { source?: string; label?: string }) => {
  const record = useRecordContext();
  const translate = useTranslate();
  if (!record) return null;
  const active = record.active !== false;
  return (
    <Chip
      size="small"
      color={active ? "success" : "default"}
      variant={active ? "outlined" : "filled"}
      label={translate(`app.active.${active}`)}
      data-testid={`active-${active}`}
    />
  );
};

/** An array of enumeration values as translated chips. */
export const EnumChips = ({ source, prefix }: { source: string; prefix: string; label?: string }) => {
  const record = useRecordContext();
  const translate = useTranslate();
  const values: unknown[] = Array.isArray(record?.[source]) ? record[source] : [];
  if (!values.length) return <>—</>;
  return (
    <Stack direction="row" sx={{ flexWrap: "wrap", gap: 0.5 }}>
      {values.map((v) => (
        <Chip key={String(v)} size="small" label={translate(`${prefix}.${v}`, { _: String(v) })} />
      ))}
    </Stack>
  );
};

/** One enumeration value, translated (unknown values shown as they are). */
export const EnumField = ({ source, prefix }: { source: string; prefix: string; label?: string }) => {
  const record = useRecordContext();
  const translate = useTranslate();
  const v = record?.[source];
  if (v === undefined || v === null || v === "") return <>—</>;
  return <>{translate(`${prefix}.${v}`, { _: String(v) })}</>;
};
