/** Small pieces the appraisal screens share: the band chip, the change arrow, the month field, CSV export, the API hook. */
import { useState } from "react";
import { Box, Button, Chip, CircularProgress, Stack, TextField, Typography } from "@mui/material";
import DownloadIcon from "@mui/icons-material/Download";
import { useDataProvider, useNotify, useTranslate } from "react-admin";
import type { AppDataProvider } from "../dataProvider.ts";
import { notifyError } from "../common/notifyError.ts";
import { bandCss, bandText, downloadCsv, isMonth, NA_CSS, tableCsv, type Band } from "./model.ts";

export const useApi = () => useDataProvider<AppDataProvider>();

/** The band's display: colour and its name in the console's language (`app.appraisals.colors.<color>`, else the rule's label). */
export function useBandLabel() {
  const translate = useTranslate();
  return (b: Pick<Band, "color" | "label" | "name"> | null | undefined): string => {
    if (!b) return translate("app.appraisals.na");
    const color = translate(`app.appraisals.colors.${b.color}`, { _: b.color });
    const rating = b.name ?? translate(`app.appraisals.ratings.${b.label}`, { _: b.label });
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

export const MonthField = ({ value, onChange, label = "app.appraisals.month" }: { value: string; onChange: (v: string) => void; label?: string }) => {
  const translate = useTranslate();
  return (
    <TextField
      type="month"
      size="small"
      label={translate(label)}
      value={value}
      onChange={(e) => isMonth(e.target.value) && onChange(e.target.value)}
      slotProps={{ inputLabel: { shrink: true }, htmlInput: { "data-testid": "month-input" } }}
      sx={{ width: 180 }}
    />
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
export async function readAll<T>(api: AppDataProvider, path: string, query: Record<string, string | number | undefined>, maxPages = 50): Promise<T[]> {
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
