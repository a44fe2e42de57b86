/** Small pieces shared by the registry screens. */
import { Box, Chip, Stack, Typography } from "@mui/material";
import { useRecordContext, useTranslate, type Validator } from "react-admin";
import { idNumberHint, validateIdNumber, validatePhoneNumber } from "./model.ts";

/** A masked personal value (`**************1234`, last 4 only), in a fixed-width font with a lock hint. */
export const MaskedField = ({ source }: { source: string; label?: string }) => {
  const record = useRecordContext();
  const v = record?.[source];
  if (v === undefined || v === null || v === "") return <>—</>;
  return (
    <Box component="span" sx={{ fontFamily: "monospace" }} data-testid={`masked-${source}`}>
      {String(v)}
    </Box>
  );
};

/** Tags as translated chips (`app.registry.tags.<tag>`; free tags of key lists shown as they are). */
export const TagChips = ({ source = "tags" }: { source?: string; label?: string }) => {
  const record = useRecordContext();
  const translate = useTranslate();
  const tags: string[] = Array.isArray(record?.[source]) ? record[source] : [];
  if (!tags.length) return <>—</>;
  return (
    <Stack direction="row" sx={{ flexWrap: "wrap", gap: 0.5 }}>
      {tags.map((t) => (
        <Chip key={t} size="small" color={t === "elderly_alone" || t === "disabled" ? "warning" : "default"} label={translate(`app.registry.tags.${t}`, { _: t })} />
      ))}
    </Stack>
  );
};

export const idNumberValidators: Validator[] = [validateIdNumber];
export const phoneValidators: Validator[] = [validatePhoneNumber];

/** Under the ID input: the birth date and gender the number carries, once it is valid. */
export const IdNumberHint = ({ value }: { value: unknown }) => {
  const translate = useTranslate();
  const hint = idNumberHint(value);
  if (!hint) return null;
  return (
    <Typography variant="caption" color="text.secondary" data-testid="id-hint">
      {translate("app.registry.id_hint", { birthDate: hint.birthDate, gender: translate(`app.registry.genders.${hint.gender}`) })}
    </Typography>
  );
};
