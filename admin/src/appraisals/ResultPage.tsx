/**
 * One result explained (`/appraisals/:subject/:id/:period`): why this grid is yellow — each
 * indicator's value with its formula, weight (and share), range and direction, sub-score, the
 * points it added and the points it cost; the bands of the rules version used and how far the next
 * one is; the change against last month; department adjustments (claims, supervision).
 */
import { useQuery } from "@tanstack/react-query";
import { Link as RouterLink, useParams } from "react-router-dom";
import { Accordion, AccordionDetails, AccordionSummary, Alert, Box, Breadcrumbs, Card, CardContent, Chip, LinearProgress, Link, Stack, Table, TableBody, TableCell, TableHead, TableRow, Typography } from "@mui/material";
import ExpandMoreIcon from "@mui/icons-material/ExpandMore";
import LockIcon from "@mui/icons-material/Lock";
import { Authenticated, Title, useTranslate } from "react-admin";
import { BandChip, Delta, ExportButton, Score, useApi, useBandLabel, useIndicatorText } from "./common.tsx";
import { bandCss, bandText, type Band } from "./model.ts";

type XLine = {
  key: string;
  name?: string;
  unit?: string;
  formula?: string;
  value: number | null;
  weight: number;
  share: number | null;
  direction: string;
  range: [number, number];
  subScore: number | null;
  contribution: number | null;
  lost: number | null;
  previousValue: number | null;
  valueDelta: number | null;
  note?: string;
};
type Explanation = {
  result: {
    subject: string;
    id: string;
    name: string;
    period: string;
    pathName?: string;
    score: number | null;
    band?: (Band & { rank: number }) | null;
    grade?: string | null;
    rank?: number | null;
    change: { previousScore: number | null; delta: number | null; previousBand?: string | null; previousGrade?: string | null } | null;
    breakdown: { explanation: string; adjustments: { key: string; value: number; points: number; note: string }[] };
    points?: { points: number; lines: { key: string; count: number; each: number; points: number }[] };
  };
  previous: { period: string; score: number | null; band: Band | null; grade: string | null; rulesVersion: number | null } | null;
  lines: XLine[];
  indicators: { key: string; name?: string; unit?: string; formula?: string; value: number | null; previous: number | null; delta: number | null }[];
  bands?: (Band & { max: number; current: boolean })[];
  nextBand?: { color: string; label: string; name?: string; min: number; gap: number } | null;
  grades?: { grade: string; min: number; current: boolean }[];
  rulesVersion: number;
  currentRulesVersion: number;
  locked: boolean;
};

const n = (v: number | null | undefined, digits = 2) => (v === null || v === undefined ? "—" : Number.isInteger(v) ? String(v) : v.toFixed(digits));

/** An indicator's formula in the console's language (built-in ones translated; configured ones as described). */
function useFormula() {
  const ind = useIndicatorText();
  return (l: { key: string; formula?: string }) => ind.formula(l.key, l.formula);
}

function useLineName() {
  const translate = useTranslate();
  const ind = useIndicatorText();
  return (l: { key: string; name?: string }) => translate(`app.appraisals.parts.${l.key}`, { _: ind.name(l.key, l.name) });
}

const Why = ({ x }: { x: Explanation }) => {
  const translate = useTranslate();
  const label = useBandLabel();
  const name = useLineName();
  const r = x.result;
  if (r.score === null) return <Alert severity="info">{translate("app.appraisals.explain.na")}</Alert>;
  const costly = [...x.lines].filter((l) => (l.lost ?? 0) > 0).sort((a, b) => (b.lost ?? 0) - (a.lost ?? 0)).slice(0, 3);
  const band = x.bands?.find((b) => b.current);
  return (
    <Alert severity={r.band && r.band.rank <= 2 ? "warning" : "info"} icon={false} data-testid="why">
      <Typography variant="subtitle1" sx={{ mb: 0.5 }}>
        {r.subject === "unit" ? translate("app.appraisals.explain.why_color", { color: label(r.band) }) : translate("app.appraisals.explain.why_grade", { grade: r.grade ?? "—" })}
      </Typography>
      <Typography variant="body2">
        {band
          ? translate("app.appraisals.explain.in_band", { score: r.score.toFixed(2), band: label(band), min: band.min, max: band.max })
          : translate("app.appraisals.explain.score_is", { score: r.score.toFixed(2) })}
        {x.nextBand ? ` ${translate("app.appraisals.explain.next_band", { band: label(x.nextBand), min: x.nextBand.min, gap: x.nextBand.gap.toFixed(2) })}` : ""}
      </Typography>
      {costly.length ? (
        <Typography variant="body2" sx={{ mt: 0.5 }}>
          {translate("app.appraisals.explain.costly", {
            items: costly.map((l) => translate("app.appraisals.explain.costly_item", { name: name(l), value: n(l.value), lost: n(l.lost) })).join(translate("app.appraisals.explain.list_sep")),
          })}
        </Typography>
      ) : null}
    </Alert>
  );
};

function ResultScreen() {
  const translate = useTranslate();
  const api = useApi();
  const label = useBandLabel();
  const name = useLineName();
  const formula = useFormula();
  const { subject = "unit", id = "", period = "" } = useParams();
  const q = useQuery({ queryKey: ["wangge", "appraisal-explain", subject, id, period], queryFn: () => api.getRaw<Explanation>(`/v1/appraisals/${subject}/${encodeURIComponent(id)}/${period}/explain`) });
  if (q.isLoading) return <LinearProgress />;
  if (q.error || !q.data) return <Alert severity="error">{translate((q.error as Error)?.message ?? "app.errors.not_found", { _: (q.error as Error)?.message })}</Alert>;
  const x = q.data;
  const r = x.result;
  const dirLabel = (d: string) => translate(`app.appraisals.explain.${d}`);
  const lineHeader = ["indicator", "formula", "value", "previous", "delta", "weight", "range", "sub_score", "contribution", "lost"].map((c) => translate(`app.appraisals.explain.col.${c}`));
  return (
    <Box sx={{ p: { xs: 1, md: 2 } }} data-testid="result-page" data-color={r.band?.color ?? "na"}>
      <Title title={translate("app.appraisals.explain.title", { name: r.name })} />
      <Breadcrumbs sx={{ mb: 1 }}>
        <Link component={RouterLink} to={`/appraisals?period=${period}&tab=${subject === "unit" ? "units" : `${subject}s`}`}>
          {translate("app.appraisals.title")} {period}
        </Link>
        <Typography color="text.primary">{r.name}</Typography>
      </Breadcrumbs>
      <Card variant="outlined" sx={{ mb: 2 }}>
        <CardContent>
          <Stack direction={{ xs: "column", md: "row" }} spacing={3} sx={{ alignItems: { md: "center" } }}>
            <Box sx={{ flex: 1 }}>
              <Typography variant="h6" data-testid="result-name">
                {r.pathName ?? r.name}
              </Typography>
              <Typography variant="body2" color="text.secondary">
                {translate(`app.appraisals.subjects.${r.subject}`)} · {period}
                {r.rank ? ` · ${translate("app.appraisals.explain.rank", { rank: r.rank })}` : ""}
              </Typography>
            </Box>
            <Box sx={{ textAlign: "center" }}>
              <Typography variant="h3" sx={{ fontWeight: 700 }} data-testid="result-score">
                <Score value={r.score} />
              </Typography>
              {r.subject === "unit" ? <BandChip band={r.band} size="medium" /> : <Chip label={translate("app.appraisals.explain.grade", { grade: r.grade ?? "—" })} />}
            </Box>
            <Box data-testid="change">
              <Typography variant="caption" color="text.secondary">
                {translate("app.appraisals.explain.vs_last_month", { period: x.previous?.period ?? "—" })}
              </Typography>
              {x.previous ? (
                <Stack direction="row" spacing={1} sx={{ alignItems: "center" }}>
                  <Score value={x.previous.score} />
                  {r.subject === "unit" ? <BandChip band={x.previous.band} /> : <Chip size="small" label={x.previous.grade ?? "—"} />}
                  <Delta value={x.previous.score === null || r.score === null ? null : Math.round((r.score - x.previous.score) * 100) / 100} />
                </Stack>
              ) : (
                <Typography variant="body2">{translate("app.appraisals.explain.no_previous")}</Typography>
              )}
            </Box>
          </Stack>
          <Stack direction="row" spacing={1} sx={{ mt: 1 }}>
            <Chip size="small" variant="outlined" label={translate("app.appraisals.rules_version", { version: x.rulesVersion })} data-testid="rules-version" />
            {x.currentRulesVersion !== x.rulesVersion ? <Chip size="small" color="info" variant="outlined" label={translate("app.appraisals.explain.rules_now", { version: x.currentRulesVersion })} /> : null}
            {x.locked ? <Chip size="small" icon={<LockIcon />} label={translate("app.appraisals.locked")} /> : null}
          </Stack>
        </CardContent>
      </Card>
      <Why x={x} />
      <Card variant="outlined" sx={{ mt: 2 }}>
        <CardContent>
          <Stack direction="row" sx={{ alignItems: "center", mb: 1 }}>
            <Typography variant="subtitle1" sx={{ flex: 1 }}>
              {translate("app.appraisals.explain.lines_title")}
            </Typography>
            <ExportButton
              testId="export-lines"
              filename={`appraisal-${subject}-${r.name}-${period}.csv`}
              build={async () => ({
                header: lineHeader,
                rows: x.lines.map((l) => [name(l), formula(l), l.value, l.previousValue, l.valueDelta, l.weight, `${l.range[0]}–${l.range[1]} ${dirLabel(l.direction)}`, l.subScore, l.contribution, l.lost]),
              })}
            />
          </Stack>
          <Typography variant="caption" color="text.secondary">
            {translate(`app.appraisals.explain.formula_${r.subject}`)}
          </Typography>
          <Table size="small" data-testid="lines-table">
            <TableHead>
              <TableRow>
                {lineHeader.map((h) => (
                  <TableCell key={h}>{h}</TableCell>
                ))}
              </TableRow>
            </TableHead>
            <TableBody>
              {x.lines.map((l) => (
                <TableRow key={l.key} data-testid="line-row" data-key={l.key}>
                  <TableCell>
                    {name(l)}
                    {l.unit ? <Typography variant="caption" color="text.secondary">{` (${l.unit})`}</Typography> : null}
                  </TableCell>
                  <TableCell>
                    <Typography variant="caption" sx={{ fontFamily: "monospace" }}>
                      {formula(l) || "—"}
                    </Typography>
                  </TableCell>
                  <TableCell>{l.value === null ? translate("app.appraisals.explain.no_value") : n(l.value)}</TableCell>
                  <TableCell>{n(l.previousValue)}</TableCell>
                  <TableCell>
                    <Delta value={l.valueDelta} />
                  </TableCell>
                  <TableCell>
                    {l.weight}
                    {l.share !== null ? <Typography variant="caption" color="text.secondary">{` (${(l.share * 100).toFixed(1)}%)`}</Typography> : null}
                  </TableCell>
                  <TableCell>
                    {l.range[0]}–{l.range[1]} · {dirLabel(l.direction)}
                  </TableCell>
                  <TableCell>{l.subScore === null ? translate("app.appraisals.explain.left_out") : n(l.subScore)}</TableCell>
                  <TableCell>{n(l.contribution)}</TableCell>
                  <TableCell sx={{ color: (l.lost ?? 0) > 0 ? "error.main" : undefined }}>{l.lost ? `−${n(l.lost)}` : "0"}</TableCell>
                </TableRow>
              ))}
              {r.breakdown.adjustments.map((a) => (
                <TableRow key={a.key} data-testid="adjustment-row">
                  <TableCell>{translate(`app.appraisals.parts.${a.key}`)}</TableCell>
                  <TableCell colSpan={7}>
                    <Typography variant="caption">{translate(`app.appraisals.explain.adjust_${a.key}`, { value: a.value, _: a.note })}</Typography>
                  </TableCell>
                  <TableCell sx={{ color: a.points > 0 ? "success.main" : a.points < 0 ? "error.main" : undefined }}>{a.points > 0 ? `+${a.points}` : a.points}</TableCell>
                  <TableCell />
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </CardContent>
      </Card>
      {x.bands ? (
        <Card variant="outlined" sx={{ mt: 2 }}>
          <CardContent>
            <Typography variant="subtitle1">{translate("app.appraisals.explain.bands_title", { version: x.rulesVersion })}</Typography>
            <Stack direction="row" spacing={0} sx={{ mt: 1, borderRadius: 1, overflow: "hidden" }} data-testid="bands">
              {x.bands.map((b) => (
                <Box
                  key={b.color}
                  sx={{ flex: b.max - b.min || 1, bgcolor: bandCss(b.color), color: bandText(b.color), p: 1, outline: b.current ? "3px solid #000" : undefined, outlineOffset: -3 }}
                  data-current={b.current}
                >
                  <Typography variant="caption" sx={{ display: "block", fontWeight: b.current ? 700 : 400 }}>
                    {label(b)}
                  </Typography>
                  <Typography variant="caption">
                    {b.min}–{b.max === 100 ? "100" : `<${b.max}`}
                  </Typography>
                </Box>
              ))}
            </Stack>
          </CardContent>
        </Card>
      ) : null}
      {x.grades ? (
        <Card variant="outlined" sx={{ mt: 2 }}>
          <CardContent>
            <Typography variant="subtitle1">{translate("app.appraisals.explain.grades_title", { version: x.rulesVersion })}</Typography>
            <Stack direction="row" spacing={1} sx={{ mt: 1 }}>
              {x.grades.map((g) => (
                <Chip key={g.grade} label={`${g.grade} ≥ ${g.min}`} color={g.current ? "primary" : "default"} />
              ))}
            </Stack>
          </CardContent>
        </Card>
      ) : null}
      {r.points ? (
        <Card variant="outlined" sx={{ mt: 2 }}>
          <CardContent>
            <Stack direction="row" sx={{ alignItems: "center" }}>
              <Typography variant="subtitle1" sx={{ flex: 1 }}>
                {translate("app.appraisals.points.month_earned", { points: r.points.points })}
              </Typography>
              <Link component={RouterLink} to={`/appraisals/points/${encodeURIComponent(r.id)}`}>
                {translate("app.appraisals.points.ledger")}
              </Link>
            </Stack>
            <Typography variant="body2">{r.points.lines.map((l) => translate("app.appraisals.points.line", { what: translate(`app.appraisals.points.kinds.${l.key}`), count: l.count, each: l.each, points: l.points })).join("；")}</Typography>
          </CardContent>
        </Card>
      ) : null}
      <Accordion sx={{ mt: 2 }} variant="outlined">
        <AccordionSummary expandIcon={<ExpandMoreIcon />}>{translate("app.appraisals.explain.all_indicators", { count: x.indicators.length })}</AccordionSummary>
        <AccordionDetails>
          <Table size="small" data-testid="indicators-table">
            <TableHead>
              <TableRow>
                {["indicator", "formula", "value", "previous", "delta"].map((c) => (
                  <TableCell key={c}>{translate(`app.appraisals.explain.col.${c}`)}</TableCell>
                ))}
              </TableRow>
            </TableHead>
            <TableBody>
              {x.indicators.map((i) => (
                <TableRow key={i.key}>
                  <TableCell>{name(i)}</TableCell>
                  <TableCell>
                    <Typography variant="caption" sx={{ fontFamily: "monospace" }}>
                      {formula(i) || "—"}
                    </Typography>
                  </TableCell>
                  <TableCell>{n(i.value)}</TableCell>
                  <TableCell>{n(i.previous)}</TableCell>
                  <TableCell>
                    <Delta value={i.delta} />
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </AccordionDetails>
      </Accordion>
    </Box>
  );
}

export default function ResultPage() {
  return (
    <Authenticated>
      <ResultScreen />
    </Authenticated>
  );
}
