/**
 * 考评规则 (`/scoring-rules`): the five-colour indicators (choice, weight and its share,
 * direction and range), the five bands and their thresholds, the department and grid worker
 * weights, adjustments and grades, the points per service; saved as a new version (with the
 * version read: a stale one is refused) that applies from the next run — a locked month keeps
 * the rules it was scored with. Beside it, the saved versions and the difference between any two.
 */
import { useEffect, useMemo, useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  Alert,
  Box,
  Button,
  Card,
  CardContent,
  Checkbox,
  FormControlLabel,
  IconButton,
  LinearProgress,
  MenuItem,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField,
  Typography,
} from "@mui/material";
import AddIcon from "@mui/icons-material/Add";
import DeleteIcon from "@mui/icons-material/Delete";
import SaveIcon from "@mui/icons-material/Save";
import { Authenticated, Title, useCanAccess, useLocaleState, useNotify, useTranslate } from "react-admin";
import { rulesDiff, type RuleChange } from "../../../core/appraisal/diff.ts";
import { intlLocale } from "../i18n/index.ts";
import { errorInfo } from "../errors.ts";
import { notifyError } from "../common/notifyError.ts";
import { useApi, useIndicatorText } from "./common.tsx";
import { bandCss, draftProblems, weightShares, type RulesDraft } from "./model.ts";

type Rules = RulesDraft & { version: number; updatedAt?: string; presets?: RulesDraft };
type Version = { version: number; rules: RulesDraft; savedAt: string; savedBy?: { name?: string; id: string }; note?: string };
type Definition = { key: string; name: string; unit: string; direction: string; min?: number; max?: number; builtin: boolean; active: boolean; subjects?: string[] };

const LEVELS = ["street", "community", "grid", "micro_grid"];
const num = (s: string): number | undefined => (s.trim() === "" ? undefined : Number(s));

/** A rules path for people: "fiveColor.indicators[closeRate].weight" → 五色评价 › 结案率 › 权重. */
function usePathLabel(defs: Definition[]) {
  const translate = useTranslate();
  const ind = useIndicatorText();
  const names = new Map(defs.map((d) => [d.key, d.name]));
  return (path: string) =>
    path
      .split(/\.(?![^[]*\])|(?=\[)/)
      .filter(Boolean)
      .map((seg) => {
        const k = /^\[(.+)\]$/.exec(seg)?.[1];
        if (k) return ind.name(k, names.get(k));
        if (/^\d+$/.test(seg)) return `#${Number(seg) + 1}`;
        return translate(`app.appraisals.rules.paths.${seg}`, { _: seg });
      })
      .join(" › ");
}

const show = (v: unknown): string => (v === null || v === undefined ? "—" : typeof v === "object" ? JSON.stringify(v) : String(v));

const Diff = ({ changes, defs }: { changes: RuleChange[]; defs: Definition[] }) => {
  const translate = useTranslate();
  const label = usePathLabel(defs);
  if (!changes.length) return <Typography color="text.secondary">{translate("app.appraisals.rules.no_difference")}</Typography>;
  return (
    <Table size="small" data-testid="rules-diff">
      <TableHead>
        <TableRow>
          <TableCell>{translate("app.appraisals.rules.what")}</TableCell>
          <TableCell>{translate("app.appraisals.rules.before")}</TableCell>
          <TableCell>{translate("app.appraisals.rules.after")}</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {changes.map((c) => (
          <TableRow key={c.path} data-testid="diff-row" data-path={c.path}>
            <TableCell>
              {label(c.path)} <Typography variant="caption" color="text.secondary">{translate(`app.appraisals.rules.kinds.${c.kind}`)}</Typography>
            </TableCell>
            <TableCell sx={{ color: "error.main" }}>{show(c.from)}</TableCell>
            <TableCell sx={{ color: "success.main" }}>{show(c.to)}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
};

const Versions = ({ current, presets, defs }: { current: Rules; presets: RulesDraft | undefined; defs: Definition[] }) => {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const api = useApi();
  const q = useQuery({ queryKey: ["wangge", "scoring-rule-versions", current.version], queryFn: () => api.getRaw<{ items: Version[] }>("/v1/scoring-rules/versions", { limit: 200 }) });
  const versions: Version[] = useMemo(() => [...(q.data?.items ?? []), ...(presets ? [{ version: 0, rules: presets, savedAt: "" }] : [])], [q.data, presets]);
  const [from, setFrom] = useState<number>();
  const [to, setTo] = useState<number>();
  useEffect(() => {
    if (versions.length) {
      setTo(versions[0].version);
      setFrom(versions[1]?.version ?? versions[0].version);
    }
  }, [versions]);
  const a = versions.find((v) => v.version === from);
  const b = versions.find((v) => v.version === to);
  const pick = (value: number | undefined, set: (v: number) => void, label: string, testId: string) => (
    <TextField select size="small" label={translate(label)} value={value ?? ""} onChange={(e) => set(Number(e.target.value))} sx={{ width: 260 }} slotProps={{ select: { SelectDisplayProps: { "data-testid": testId } as never } }}>
      {versions.map((v) => (
        <MenuItem key={v.version} value={v.version} data-testid={`${testId}-${v.version}`}>
          {v.version === 0 ? translate("app.appraisals.rules.presets") : `v${v.version} · ${new Date(v.savedAt).toLocaleString(intlLocale(locale), { hour12: false })}`}
          {v.version !== 0 && v.note ? <span data-user-text>{` · ${v.note}`}</span> : null}
        </MenuItem>
      ))}
    </TextField>
  );
  return (
    <Card variant="outlined" data-testid="rules-versions">
      <CardContent>
        <Typography variant="subtitle1" sx={{ mb: 1 }}>
          {translate("app.appraisals.rules.versions_title")}
        </Typography>
        {q.isLoading ? <LinearProgress /> : null}
        <Table size="small" sx={{ mb: 2 }}>
          <TableBody>
            {versions.map((v) => (
              <TableRow key={v.version}>
                <TableCell>{v.version === 0 ? translate("app.appraisals.rules.presets") : `v${v.version}`}</TableCell>
                <TableCell>{v.savedAt ? new Date(v.savedAt).toLocaleString(intlLocale(locale), { hour12: false }) : "—"}</TableCell>
                <TableCell data-user-text>{v.savedBy?.name ?? "—"}</TableCell>
                <TableCell data-user-text>{v.note ?? ""}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
        <Stack direction="row" spacing={2} sx={{ mb: 1 }}>
          {pick(from, setFrom, "app.appraisals.rules.compare_from", "diff-from")}
          {pick(to, setTo, "app.appraisals.rules.compare_to", "diff-to")}
        </Stack>
        {a && b ? <Diff changes={rulesDiff(a.rules as never, b.rules as never)} defs={defs} /> : null}
      </CardContent>
    </Card>
  );
};

const NumberCell = ({ value, onChange, error, name, width = 90 }: { value: number | undefined; onChange: (v: number | undefined) => void; error?: string; name: string; width?: number }) => {
  const translate = useTranslate();
  return (
    <TextField
      size="small"
      type="number"
      value={value ?? ""}
      onChange={(e) => onChange(num(e.target.value))}
      error={!!error}
      helperText={error ? translate(error, { _: error }) : undefined}
      slotProps={{ htmlInput: { name, step: "any" } }}
      sx={{ width }}
    />
  );
};

function RulesEditor() {
  const translate = useTranslate();
  const notify = useNotify();
  const api = useApi();
  const qc = useQueryClient();
  const { canAccess: canEdit } = useCanAccess({ resource: "scoring-rules", action: "edit" });
  const ind = useIndicatorText();
  const q = useQuery({ queryKey: ["wangge", "scoring-rules"], queryFn: () => api.getRaw<Rules>("/v1/scoring-rules") });
  const defsQ = useQuery({ queryKey: ["wangge", "indicator-definitions", "unit"], queryFn: () => api.getRaw<{ items: Definition[] }>("/v1/indicator-definitions", { subject: "unit", active: "true" }) });
  const defs = defsQ.data?.items ?? [];
  const [draft, setDraft] = useState<RulesDraft>();
  const [note, setNote] = useState("");
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  useEffect(() => {
    if (q.data) {
      const { version: _v, updatedAt: _u, presets: _p, ...rest } = q.data as Rules & { updatedBy?: unknown };
      delete (rest as { updatedBy?: unknown }).updatedBy;
      setDraft(structuredClone(rest));
    }
  }, [q.data]);
  const save = useMutation({
    mutationFn: () => api.putRaw<Rules>("/v1/scoring-rules", { ...draft, version: q.data!.version, ...(note.trim() ? { note: note.trim() } : {}) }),
    onSuccess: (saved) => {
      setServerErrors({});
      setNote("");
      notify("app.appraisals.rules.saved", { type: "success", messageArgs: { version: saved.version } });
      void qc.invalidateQueries({ queryKey: ["wangge", "scoring-rules"] });
    },
    onError: (e) => {
      const info = errorInfo(e);
      setServerErrors(info?.errors ?? {});
      notifyError(notify, e);
      if (info?.code === "stale") void q.refetch();
    },
  });
  if (q.isLoading || !draft || !q.data) return <LinearProgress />;
  const problems = { ...serverErrors, ...draftProblems(draft) };
  const edit = (fn: (d: RulesDraft) => void) => {
    const next = structuredClone(draft);
    fn(next);
    setDraft(next);
  };
  const fc = draft.fiveColor;
  const shares = weightShares(fc.indicators.map((i) => i.weight));
  const changes = rulesDiff(q.data as never, draft as never);
  const defName = (k: string) => ind.name(k, defs.find((d) => d.key === k)?.name);
  const weightsBlock = (part: "department" | "worker", keys: string[]) => (
    <Stack direction="row" spacing={2} useFlexGap sx={{ flexWrap: "wrap" }}>
      {keys.map((k) => (
        <TextField
          key={k}
          size="small"
          type="number"
          label={translate(`app.appraisals.parts.${k}`)}
          value={draft[part].weights[k] ?? ""}
          onChange={(e) => edit((d) => void (d[part].weights[k] = Number(e.target.value)))}
          error={!!problems[`${part}.weights.${k}`]}
          slotProps={{ htmlInput: { name: `${part}.weights.${k}`, min: 0 } }}
          sx={{ width: 150 }}
        />
      ))}
    </Stack>
  );
  return (
    <Stack spacing={2}>
      <Alert severity="info" data-testid="rules-applies">
        {translate("app.appraisals.rules.applies_from_next_run", { version: q.data.version })}
      </Alert>
      <Card variant="outlined">
        <CardContent>
          <Typography variant="subtitle1">{translate("app.appraisals.rules.five_color")}</Typography>
          <Typography variant="caption" color="text.secondary">
            {translate("app.appraisals.explain.formula_unit")}
          </Typography>
          <Table size="small" data-testid="rules-indicators">
            <TableHead>
              <TableRow>
                {["indicator", "weight", "share", "direction", "min", "max", ""].map((c) => (
                  <TableCell key={c}>{c ? translate(`app.appraisals.rules.col.${c}`) : ""}</TableCell>
                ))}
              </TableRow>
            </TableHead>
            <TableBody>
              {fc.indicators.map((r, i) => {
                const def = defs.find((d) => d.key === r.key);
                return (
                  <TableRow key={i} data-testid="rule-indicator" data-key={r.key}>
                    <TableCell>
                      <TextField select size="small" name={`fiveColor.indicators.${i}.key`} value={r.key} onChange={(e) => edit((d) => void (d.fiveColor.indicators[i].key = e.target.value))} error={!!problems[`fiveColor.indicators.${i}.key`]} helperText={problems[`fiveColor.indicators.${i}.key`] ? translate(problems[`fiveColor.indicators.${i}.key`], { _: problems[`fiveColor.indicators.${i}.key`] }) : undefined} sx={{ width: 220 }}>
                        {[...defs.filter((d) => d.unit === "%" || d.max !== undefined || !d.builtin), ...(def ? [] : [{ key: r.key, name: r.key } as Definition])].map((d) => (
                          <MenuItem key={d.key} value={d.key}>
                            {defName(d.key)}
                          </MenuItem>
                        ))}
                      </TextField>
                    </TableCell>
                    <TableCell>
                      <NumberCell name={`fiveColor.indicators.${i}.weight`} value={r.weight} onChange={(v) => edit((d) => void (d.fiveColor.indicators[i].weight = v ?? 0))} error={problems[`fiveColor.indicators.${i}.weight`]} />
                    </TableCell>
                    <TableCell>{shares[i]}%</TableCell>
                    <TableCell>
                      <TextField select size="small" value={r.direction ?? ""} onChange={(e) => edit((d) => void (d.fiveColor.indicators[i].direction = e.target.value || undefined))} sx={{ width: 170 }} slotProps={{ select: { displayEmpty: true } }}>
                        <MenuItem value="">{translate("app.appraisals.rules.default_direction", { direction: translate(`app.appraisals.explain.${def?.direction ?? "higher_better"}`) })}</MenuItem>
                        <MenuItem value="higher_better">{translate("app.appraisals.explain.higher_better")}</MenuItem>
                        <MenuItem value="lower_better">{translate("app.appraisals.explain.lower_better")}</MenuItem>
                      </TextField>
                    </TableCell>
                    <TableCell>
                      <NumberCell name={`fiveColor.indicators.${i}.min`} value={r.min} onChange={(v) => edit((d) => void (d.fiveColor.indicators[i].min = v))} />
                      <Typography variant="caption" color="text.secondary" sx={{ display: "block" }}>{def?.min !== undefined ? translate("app.appraisals.rules.default_value", { value: def.min }) : ""}</Typography>
                    </TableCell>
                    <TableCell>
                      <NumberCell name={`fiveColor.indicators.${i}.max`} value={r.max} onChange={(v) => edit((d) => void (d.fiveColor.indicators[i].max = v))} error={problems[`fiveColor.indicators.${i}.max`]} />
                      <Typography variant="caption" color="text.secondary" sx={{ display: "block" }}>{def?.max !== undefined ? translate("app.appraisals.rules.default_value", { value: def.max }) : ""}</Typography>
                    </TableCell>
                    <TableCell>
                      <IconButton size="small" aria-label={translate("ra.action.remove")} onClick={() => edit((d) => void d.fiveColor.indicators.splice(i, 1))}>
                        <DeleteIcon fontSize="small" />
                      </IconButton>
                    </TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
          <Button
            size="small"
            startIcon={<AddIcon />}
            sx={{ mt: 1 }}
            data-testid="add-indicator"
            onClick={() => edit((d) => void d.fiveColor.indicators.push({ key: defs.find((x) => !d.fiveColor.indicators.some((i) => i.key === x.key) && x.unit === "%")?.key ?? "closeRate", weight: 10 }))}
          >
            {translate("app.appraisals.rules.add_indicator")}
          </Button>
          <Typography variant="subtitle2" sx={{ mt: 2 }}>
            {translate("app.appraisals.rules.bands")}
          </Typography>
          <Stack direction="row" spacing={1} useFlexGap data-testid="rules-bands" sx={{ flexWrap: "wrap" }}>
            {fc.bands.map((b, i) => (
              <Box key={i} sx={{ borderLeft: 6, borderColor: bandCss(b.color), pl: 1 }}>
                <Typography variant="caption">{translate(`app.appraisals.colors.${b.color}`, { _: b.color })} · {b.name ?? translate(`app.appraisals.ratings.${b.label}`, { _: b.label })}</Typography>
                <Box>
                  <NumberCell name={`fiveColor.bands.${i}.min`} value={b.min} onChange={(v) => edit((d) => void (d.fiveColor.bands[i].min = v ?? 0))} error={problems[`fiveColor.bands.${i}.min`]} width={110} />
                </Box>
              </Box>
            ))}
          </Stack>
          <Typography variant="caption" color="text.secondary">
            {translate("app.appraisals.rules.bands_hint")}
          </Typography>
          <Typography variant="subtitle2" sx={{ mt: 2 }}>
            {translate("app.appraisals.rules.levels")}
          </Typography>
          <Stack direction="row">
            {LEVELS.map((l) => (
              <FormControlLabel
                key={l}
                control={<Checkbox checked={fc.levels.includes(l)} onChange={(e) => edit((d) => void (d.fiveColor.levels = e.target.checked ? [...d.fiveColor.levels, l] : d.fiveColor.levels.filter((x) => x !== l)))} />}
                label={translate(`app.appraisals.levels.${l}`)}
              />
            ))}
          </Stack>
          <Typography variant="caption" color="text.secondary">
            {translate("app.appraisals.rules.levels_hint")}
          </Typography>
        </CardContent>
      </Card>
      <Card variant="outlined">
        <CardContent>
          <Typography variant="subtitle1">{translate("app.appraisals.rules.department")}</Typography>
          <Typography variant="caption" color="text.secondary" sx={{ display: "block", mb: 1 }}>
            {translate("app.appraisals.explain.formula_department")}
          </Typography>
          {weightsBlock("department", ["volume", "closeRate", "onTimeHandleRate", "reworkComplement"])}
          <Stack direction="row" spacing={2} useFlexGap sx={{ mt: 2, flexWrap: "wrap" }}>
            {(["volumeFullAt", "claimPointValue", "claimBonusMax", "supervisionPenalty", "supervisionPenaltyMax"] as const).map((k) => (
              <TextField key={k} size="small" type="number" label={translate(`app.appraisals.rules.paths.${k}`)} value={(draft.department[k] as number) ?? ""} onChange={(e) => edit((d) => void (d.department[k] = Number(e.target.value)))} slotProps={{ htmlInput: { name: `department.${k}`, step: "any" } }} sx={{ width: 170 }} error={!!problems[`department.${k}`]} />
            ))}
          </Stack>
          <Typography variant="subtitle1" sx={{ mt: 3 }}>
            {translate("app.appraisals.rules.worker")}
          </Typography>
          {weightsBlock("worker", ["validReportRate", "missedReportScore", "onTimeVerifyRate", "onTimeCheckRate"])}
          <Typography variant="subtitle1" sx={{ mt: 3 }}>
            {translate("app.appraisals.rules.points")}
          </Typography>
          <Stack direction="row" spacing={2} useFlexGap sx={{ flexWrap: "wrap" }}>
            {Object.keys(draft.points).map((k) => (
              <TextField key={k} size="small" type="number" label={translate(`app.appraisals.points.kinds.${k}`)} value={draft.points[k]} onChange={(e) => edit((d) => void (d.points[k] = Number(e.target.value)))} slotProps={{ htmlInput: { name: `points.${k}`, min: 0 } }} sx={{ width: 150 }} />
            ))}
          </Stack>
        </CardContent>
      </Card>
      {canEdit ? (
        <Card variant="outlined">
          <CardContent>
            <Typography variant="subtitle1">{translate("app.appraisals.rules.pending", { count: changes.length })}</Typography>
            <Diff changes={changes} defs={defs} />
            <Stack direction="row" spacing={2} sx={{ mt: 2, alignItems: "center" }}>
              <TextField size="small" label={translate("app.appraisals.rules.note")} value={note} onChange={(e) => setNote(e.target.value)} sx={{ flex: 1 }} slotProps={{ htmlInput: { name: "note", maxLength: 500 } }} />
              <Button variant="contained" startIcon={<SaveIcon />} disabled={!changes.length || Object.keys(draftProblems(draft)).length > 0 || save.isPending} onClick={() => save.mutate()} data-testid="rules-save">
                {translate("app.appraisals.rules.save")}
              </Button>
            </Stack>
          </CardContent>
        </Card>
      ) : null}
      <Versions current={q.data} presets={q.data.presets} defs={defs} />
    </Stack>
  );
}

export default function RulesPage() {
  const translate = useTranslate();
  return (
    <Authenticated>
      <Box sx={{ p: { xs: 1, md: 2 } }} data-testid="rules-page">
        <Title title={translate("app.appraisals.rules.title")} />
        <Typography variant="h6" sx={{ mb: 2 }}>
          {translate("app.appraisals.rules.title")}
        </Typography>
        <RulesEditor />
      </Box>
    </Authenticated>
  );
}
