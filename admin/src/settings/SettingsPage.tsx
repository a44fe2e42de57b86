/**
 * Settings (系统设置): the county defaults of the case loop — a time limit per stage (the claim
 * stage's is the claim window's length), the evaluation given when the reporter does not evaluate
 * in time, and the supervision reminder interval. Saved with the version read (`PUT /v1/settings`);
 * the category pages show which of these a category actually uses. Below them the county's
 * personal-data controls (`privacy`: search and reveal quotas per user, reveals per community and
 * day, retention of resident accounts, the audit trail, case attachments and people who moved away,
 * and the mask style of ID numbers and phones with a preview; docs/security.md), each with its
 * bounds and built-in default.
 */
import { useEffect, useState } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, Box, Button, Card, CardContent, CardHeader, MenuItem, Skeleton, Stack, Table, TableBody, TableCell, TableHead, TableRow, TextField, Typography } from "@mui/material";
import SaveIcon from "@mui/icons-material/Save";
import { Title, useDataProvider, useNotify, usePermissions, useTranslate } from "react-admin";
import type { AppDataProvider } from "../dataProvider.ts";
import { notifyError } from "../common/notifyError.ts";
import { STAGES } from "../common/choices.ts";

type Duration = { amount: number; unit: string };
interface SettingsRecord {
  countyName: string;
  countyCode: string;
  version: number;
  defaultEvaluation: string;
  caseDefaults: { deadlines: Record<string, Duration>; superviseAfterHours: number };
  privacy?: Privacy;
  [k: string]: unknown;
}

/** Quotas and retention of personal data (core/settings/settings.ts `Privacy`, docs/security.md): key, bounds, built-in default. */
const PRIVACY = [
  { key: "searchesPerUserHour", min: 1, max: 10_000, def: 30 },
  { key: "revealsPerUserDay", min: 1, max: 10_000, def: 50 },
  { key: "residentRetentionDays", min: 30, max: 3650, def: 730 },
  { key: "auditRetentionMonths", min: 6, max: 120, def: 36 },
  { key: "revealsPerUnitDay", min: 1, max: 5000, def: 100 },
  { key: "caseAttachmentRetentionDays", min: 30, max: 3650, def: 730 },
  { key: "movedAwayRetentionDays", min: 7, max: 3650, def: 365 },
  { key: "unattachedUploadRetentionHours", min: 24, max: 2160, def: 168 },
  { key: "importFileRetentionDays", min: 1, max: 90, def: 30 },
  { key: "dutyPhotoRetentionDays", min: 30, max: 3650, def: 730 },
] as const;
/** How ID numbers and phones are shown (core/crypto/mask.ts: the server refuses anything beyond these bounds). */
interface Masks {
  idNumber: { trailing: number };
  phone: { leading: number; trailing: number };
}
const MASK_DEFAULT: Masks = { idNumber: { trailing: 4 }, phone: { leading: 0, trailing: 4 } };
const TRAILING = [0, 1, 2, 3, 4];
type Privacy = Record<(typeof PRIVACY)[number]["key"], number> & { masks: Masks };
const privacyDefaults = () => ({ ...Object.fromEntries(PRIVACY.map((f) => [f.key, f.def])), masks: structuredClone(MASK_DEFAULT) }) as Privacy;

/** A sample value shown under a rule (the same arithmetic as core/crypto/mask.ts `mask`). */
function preview(value: string, leading: number, trailing: number): string {
  if (value.length - leading - trailing < 4) return "*".repeat(value.length);
  return value.slice(0, leading) + "*".repeat(value.length - leading - trailing) + (trailing ? value.slice(-trailing) : "");
}

const UNITS = ["working_hours", "calendar_hours", "working_days", "calendar_days"];
const EVALUATIONS = ["very_satisfied", "satisfied", "average"];

export default function SettingsPage() {
  const translate = useTranslate();
  const api = useDataProvider<AppDataProvider>();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const { permissions } = usePermissions<string[]>();
  const mayWrite = !!permissions?.includes("units:write");
  const { data, isPending, isError } = useQuery({ queryKey: ["wangge", "settings"], queryFn: () => api.getRaw<SettingsRecord>("/v1/settings") });
  const [draft, setDraft] = useState<SettingsRecord | undefined>();
  const [saving, setSaving] = useState(false);
  useEffect(() => {
    // settings saved before a privacy field existed show (and save) its built-in default
    if (data) setDraft({ ...structuredClone(data), privacy: { ...privacyDefaults(), ...structuredClone(data.privacy) } });
  }, [data]);

  if (isError) return <Alert severity="warning">{translate("app.dashboard.load_failed")}</Alert>;
  if (isPending || !draft) return <Skeleton variant="rounded" height={400} />;

  const masks: Masks = { ...MASK_DEFAULT, ...draft.privacy?.masks };
  const setMasks = (next: Masks) => setDraft({ ...draft, privacy: { ...privacyDefaults(), ...draft.privacy, masks: next } });
  const setDeadline = (stage: string, patch: Partial<Duration>) =>
    setDraft({ ...draft, caseDefaults: { ...draft.caseDefaults, deadlines: { ...draft.caseDefaults.deadlines, [stage]: { ...draft.caseDefaults.deadlines[stage], ...patch } } } });
  const save = async () => {
    setSaving(true);
    try {
      const { updatedAt: _u, ...body } = draft;
      const saved = await api.putRaw<SettingsRecord>("/v1/settings", body);
      queryClient.setQueryData(["wangge", "settings"], saved);
      notify("app.settings_page.saved", { type: "success" });
    } catch (e) {
      notifyError(notify, e);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Box sx={{ mt: 2, maxWidth: 880 }} data-testid="settings-page">
      <Title title="app.settings_page.title" />
      <Card>
        <CardHeader
          title={translate("app.settings_page.case_defaults")}
          subheader={`${translate("app.settings_page.county")}: ${draft.countyName} (${draft.countyCode}) · ${translate("app.settings_page.version", { version: draft.version })}`}
        />
        <CardContent>
          <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
            {translate("app.settings_page.case_defaults_help")}
          </Typography>
          <Table size="small" sx={{ width: "auto", mb: 3 }} data-testid="settings-deadlines">
            <TableHead>
              <TableRow>
                <TableCell>{translate("app.settings_page.stage")}</TableCell>
                <TableCell>{translate("app.settings_page.amount")}</TableCell>
                <TableCell>{translate("app.settings_page.unit")}</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {STAGES.map((stage) => {
                const d = draft.caseDefaults.deadlines[stage];
                return (
                  <TableRow key={stage} data-testid={`default-${stage}`}>
                    <TableCell>{translate(`app.stages.${stage}`)}</TableCell>
                    <TableCell>
                      <TextField
                        size="small"
                        type="number"
                        value={d?.amount ?? ""}
                        disabled={!mayWrite}
                        onChange={(e) => setDeadline(stage, { amount: Number(e.target.value) })}
                        slotProps={{ htmlInput: { min: 1, "data-testid": `amount-${stage}` } }}
                        sx={{ width: 110 }}
                      />
                    </TableCell>
                    <TableCell>
                      <TextField select size="small" value={d?.unit ?? ""} disabled={!mayWrite} onChange={(e) => setDeadline(stage, { unit: e.target.value })} sx={{ minWidth: 140 }}>
                        {UNITS.map((u) => (
                          <MenuItem key={u} value={u}>
                            {translate(`app.duration_units.${u}`)}
                          </MenuItem>
                        ))}
                      </TextField>
                    </TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
          <Stack spacing={2} sx={{ maxWidth: 520 }}>
            <TextField
              select
              label={translate("app.settings_page.evaluation_default")}
              value={draft.defaultEvaluation}
              disabled={!mayWrite}
              onChange={(e) => setDraft({ ...draft, defaultEvaluation: e.target.value })}
            >
              {EVALUATIONS.map((v) => (
                <MenuItem key={v} value={v}>
                  {translate(`app.cases.levels.${v}`, { _: v })}
                </MenuItem>
              ))}
            </TextField>
            <TextField
              type="number"
              label={translate("app.settings_page.supervise_after")}
              value={draft.caseDefaults.superviseAfterHours}
              disabled={!mayWrite}
              onChange={(e) => setDraft({ ...draft, caseDefaults: { ...draft.caseDefaults, superviseAfterHours: Number(e.target.value) } })}
              slotProps={{ htmlInput: { min: 1, "data-testid": "supervise-after" } }}
            />
          </Stack>
        </CardContent>
      </Card>
      <Card sx={{ mt: 2 }} data-testid="settings-privacy">
        <CardHeader title={translate("app.settings_page.privacy")} />
        <CardContent>
          <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
            {translate("app.settings_page.privacy_help")}
          </Typography>
          <Stack spacing={2} sx={{ maxWidth: 520 }}>
            {PRIVACY.map((f) => (
              <TextField
                key={f.key}
                type="number"
                label={translate(`app.settings_page.privacy_fields.${f.key}`)}
                helperText={translate("app.settings_page.privacy_range", { min: f.min, max: f.max, def: f.def })}
                value={draft.privacy?.[f.key] ?? f.def}
                disabled={!mayWrite}
                onChange={(e) => setDraft({ ...draft, privacy: { ...privacyDefaults(), ...draft.privacy, [f.key]: Number(e.target.value) } })}
                slotProps={{ htmlInput: { min: f.min, max: f.max, step: 1, "data-testid": `privacy-${f.key}` } }}
              />
            ))}
            <Typography variant="subtitle2">{translate("app.settings_page.masks")}</Typography>
            <TextField
              select
              label={translate("app.settings_page.mask_id_trailing")}
              helperText={translate("app.settings_page.mask_preview", { value: preview("350206199001011234", 0, masks.idNumber.trailing) })}
              value={masks.idNumber.trailing}
              disabled={!mayWrite}
              onChange={(e) => setMasks({ ...masks, idNumber: { trailing: Number(e.target.value) } })}
              slotProps={{ htmlInput: { "data-testid": "privacy-mask-id-trailing" } }}
            >
              {TRAILING.map((n) => (
                <MenuItem key={n} value={n}>
                  {translate("app.settings_page.mask_trailing_n", { n })}
                </MenuItem>
              ))}
            </TextField>
            <Stack direction="row" spacing={2}>
              <TextField
                select
                sx={{ flex: 1 }}
                label={translate("app.settings_page.mask_phone_leading")}
                helperText={translate("app.settings_page.mask_preview", { value: preview("13812345678", masks.phone.leading, masks.phone.trailing) })}
                value={masks.phone.leading}
                disabled={!mayWrite}
                onChange={(e) => setMasks({ ...masks, phone: { ...masks.phone, leading: Number(e.target.value) } })}
                slotProps={{ htmlInput: { "data-testid": "privacy-mask-phone-leading" } }}
              >
                <MenuItem value={0}>{translate("app.settings_page.mask_phone_no_prefix")}</MenuItem>
                <MenuItem value={3}>{translate("app.settings_page.mask_phone_prefix")}</MenuItem>
              </TextField>
              <TextField
                select
                sx={{ flex: 1 }}
                label={translate("app.settings_page.mask_phone_trailing")}
                value={masks.phone.trailing}
                disabled={!mayWrite}
                onChange={(e) => setMasks({ ...masks, phone: { ...masks.phone, trailing: Number(e.target.value) } })}
                slotProps={{ htmlInput: { "data-testid": "privacy-mask-phone-trailing" } }}
              >
                {TRAILING.map((n) => (
                  <MenuItem key={n} value={n}>
                    {translate("app.settings_page.mask_trailing_n", { n })}
                  </MenuItem>
                ))}
              </TextField>
            </Stack>
          </Stack>
        </CardContent>
      </Card>
      {mayWrite ? (
        <Button variant="contained" startIcon={<SaveIcon />} onClick={save} disabled={saving} sx={{ mt: 3 }} data-testid="settings-save">
          {translate("ra.action.save")}
        </Button>
      ) : null}
    </Box>
  );
}
