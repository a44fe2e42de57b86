/** Small pieces the appraisal screens share: the band chip, the change arrow, the month field, CSV export, the API hook. */
import { useState } from "react";
import { Box, Button, Chip, CircularProgress, MenuItem, Stack, TextField, Typography } from "@mui/material";
import DownloadIcon from "@mui/icons-material/Download";
import { useDataProvider, useLocaleState, useNotify, useTranslate } from "react-admin";
import { intlLocale } from "../i18n/index.ts";
import type { AppDataProvider, RawPath } from "../dataProvider.ts";
import { notifyError } from "../common/notifyError.ts";
import { indicatorText } from "./indicatorText.ts";
import { bandCss, bandText, downloadCsv, isMonth, monthOf, NA_CSS, shiftMonth, tableCsv, type Band } from "./model.ts";

export const useApi = () => useDataProvider<AppDataProvider>();

/** Built-in indicator names and formulas in the console's language; others fall back to what the API gives. */
export function useIndicatorText() {
  const [locale] = useLocaleState();
  const text = indicatorText(locale);
  return {
    name: (key: string, fallback?: string) => text.names[key] ?? fallback ?? key,
    formula: (key: string, fallback?: string) => text.formulas[key] ?? fallback ?? "",
  };
}

/** The band's display: colour and rating in the console's language (`app.appraisals.colors.<color>`, the rule's name in Chinese, else its label). */
export function useBandLabel() {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  return (b: Pick<Band, "color" | "label" | "name"> | null | undefined): string => {
    if (!b) return translate("app.appraisals.na");
    const color = translate(`app.appraisals.colors.${b.color}`, { _: b.color });
    // the rule's own display name (优/良/中…) is Chinese: other languages name the rating by its label
    const rating = locale.startsWith("zh") ? (b.name ?? translate(`app.appraisals.ratings.${b.label}`, { _: b.label })) : translate(`app.appraisals.ratings.${b.label}`, { _: b.label });
    return `${color} · ${rating}`;
  };
}

export const BandChip = ({ band, size = "small" }: { band: Pick<Band, "color" | "label" | "name"> | null | undefined; size?: "small" | "medium" }) => {
  const label = useBandLabel();
  return (
    <Chip
      size={size}
      label={label(band)}
      data-testid="band-chip"
      data-color={band?.color ?? "na"}
      sx={{ bgcolor: band ? bandCss(band.color) : NA_CSS, color: bandText(band?.color), fontWeight: 600 }}
    />
  );
};

export const Score = ({ value }: { value: number | null | undefined }) => {
  const translate = useTranslate();
  return <>{value === null || value === undefined ? translate("app.appraisals.na") : value.toFixed(2)}</>;
};

/** ▲ 3.20 / ▼ 1.00 / — against last month. */
export const Delta = ({ value }: { value: number | null | undefined }) => {
  if (value === null || value === undefined) return <Typography component="span" color="text.secondary">—</Typography>;
  const up = value > 0;
  return (
    <Typography component="span" sx={{ color: value === 0 ? "text.secondary" : up ? "success.main" : "error.main", whiteSpace: "nowrap" }}>
      {value === 0 ? "±0" : `${up ? "▲" : "▼"} ${Math.abs(value).toFixed(2)}`}
    </Typography>
  );
};

/** How many months back the month picker offers. */
const MONTHS_BACK = 36;

/**
 * The month picker: a list of county months, newest first, named in the console's language
 * ("2026年12月" / "December 2026") — a native month input would speak the browser's language.
 */
export const MonthField = ({ value, onChange, label = "app.appraisals.month" }: { value: string; onChange: (v: string) => void; label?: string }) => {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const now = monthOf(new Date());
  const months = Array.from({ length: MONTHS_BACK }, (_, i) => shiftMonth(now, -i));
  if (isMonth(value) && !months.includes(value)) months.push(value);
  const name = (m: string) => new Date(Date.UTC(Number(m.slice(0, 4)), Number(m.slice(5, 7)) - 1, 15)).toLocaleDateString(intlLocale(locale), { year: "numeric", month: "long", timeZone: "UTC" });
  return (
    <TextField
      select
      size="small"
      label={translate(label)}
      value={value}
      onChange={(e) => isMonth(e.target.value) && onChange(e.target.value)}
      sx={{ width: 180 }}
      slotProps={{ select: { SelectDisplayProps: { "data-testid": "month-select" } as never, MenuProps: { slotProps: { paper: { sx: { maxHeight: 360 } } } } } }}
    >
      {months.map((m) => (
        <MenuItem key={m} value={m} data-value={m}>
          {name(m)}
        </MenuItem>
      ))}
    </TextField>
  );
};

/** A button that builds the rows (possibly reading every page) and downloads them as CSV. */
export const ExportButton = ({ filename, build, testId }: { filename: string; build: () => Promise<{ header: string[]; rows: unknown[][] }>; testId: string }) => {
  const translate = useTranslate();
  const notify = useNotify();
  const [busy, setBusy] = useState(false);
  return (
    <Button
      size="small"
      startIcon={busy ? <CircularProgress size={14} /> : <DownloadIcon />}
      disabled={busy}
      data-testid={testId}
      onClick={async () => {
        setBusy(true);
        try {
          const { header, rows } = await build();
          downloadCsv(filename, tableCsv(header, rows));
        } catch (e) {
          notifyError(notify, e);
        } finally {
          setBusy(false);
        }
      }}
    >
      {translate("app.appraisals.export_csv")}
    </Button>
  );
};

/** Every page of a cursor-paged list (bounded). */
export async function readAll<T>(api: AppDataProvider, path: RawPath<"get">, query: Record<string, string | number | undefined>, maxPages = 50): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < maxPages; i++) {
    const page = await api.getRaw<{ items: T[]; nextCursor: string | null }>(path, { ...query, limit: 200, cursor });
    out.push(...page.items);
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  return out;
}

export const Legend = ({ bands }: { bands: Band[] }) => {
  const label = useBandLabel();
  const translate = useTranslate();
  return (
    <Stack direction="row" spacing={1.5} useFlexGap data-testid="map-legend" sx={{ alignItems: "center", flexWrap: "wrap" }}>
      {bands.map((b, i) => (
        <Stack key={b.color} direction="row" spacing={0.5} sx={{ alignItems: "center" }}>
          <Box sx={{ width: 14, height: 14, borderRadius: 0.5, bgcolor: bandCss(b.color) }} />
          <Typography variant="caption">
            {label(b)} {b.min}–{bands[i + 1] ? `<${bands[i + 1].min}` : "100"}
          </Typography>
        </Stack>
      ))}
      <Stack direction="row" spacing={0.5} sx={{ alignItems: "center" }}>
        <Box sx={{ width: 14, height: 14, borderRadius: 0.5, bgcolor: NA_CSS }} />
        <Typography variant="caption">{translate("app.appraisals.na")}</Typography>
      </Stack>
    </Stack>
  );
};
