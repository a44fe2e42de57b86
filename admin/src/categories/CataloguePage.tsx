/**
 * The standard category catalogue (#/category-catalogue): GB/T 30428.2 event classes and the usual
 * grid-governance classes with their subclasses and class deadlines. The admin ticks what the
 * county uses, renames, adjusts a class's deadlines and applies (`POST /v1/category-catalogue`);
 * codes the county already uses are shown as 已有 and left unchanged.
 */
import { useState } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Link as RouterLink } from "react-router-dom";
import { Alert, Box, Button, Card, CardContent, Checkbox, Chip, MenuItem, Skeleton, Stack, TextField, Typography } from "@mui/material";
import { Title, useDataProvider, useNotify, useTranslate } from "react-admin";
import type { AppDataProvider } from "../dataProvider.ts";
import { notifyError } from "../common/notifyError.ts";
import { STAGES } from "../common/choices.ts";

type Duration = { amount: number; unit: string };
interface Entry { code: string; name: string; exists: boolean; countyName?: string }
interface CatalogueClass extends Entry { isDispute?: boolean; police?: boolean; urgent?: boolean; deadlines: Record<string, Duration>; children: Entry[] }
interface Catalogue { source: string; classes: CatalogueClass[] }
interface Choice { picked: boolean; name: string; deadlines?: Record<string, Duration> }

const UNITS = ["working_hours", "calendar_hours", "working_days", "calendar_days"];

export default function CataloguePage() {
  const translate = useTranslate();
  const api = useDataProvider<AppDataProvider>();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const { data, isPending, isError } = useQuery({ queryKey: ["wangge", "category-catalogue"], queryFn: () => api.getRaw<Catalogue>("/v1/category-catalogue") });
  const [choices, setChoices] = useState<Record<string, Choice>>({});
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ created: string[]; existing: string[] } | undefined>();

  if (isError) return <Alert severity="warning">{translate("app.dashboard.load_failed")}</Alert>;
  if (isPending || !data) return <Skeleton variant="rounded" height={400} />;

  const choice = (e: Entry): Choice => choices[e.code] ?? { picked: false, name: e.name };
  const set = (code: string, patch: Partial<Choice>, base: Entry) => setChoices((c) => ({ ...c, [code]: { ...(c[code] ?? { picked: false, name: base.name }), ...patch } }));
  const pickClass = (cls: CatalogueClass, picked: boolean) => {
    set(cls.code, { picked }, cls);
    for (const child of cls.children) if (!child.exists) set(child.code, { picked }, child);
  };
  const items = data.classes.flatMap((cls) => {
    const own = choice(cls);
    const out: { code: string; name?: string; deadlines?: Record<string, Duration> }[] = [];
    if (own.picked && !cls.exists) out.push({ code: cls.code, ...(own.name !== cls.name ? { name: own.name.trim() } : {}), ...(own.deadlines ? { deadlines: own.deadlines } : {}) });
    for (const child of cls.children) {
      const c = choice(child);
      if (c.picked && !child.exists) out.push({ code: child.code, ...(c.name !== child.name ? { name: c.name.trim() } : {}) });
    }
    return out;
  });
  const apply = async () => {
    setBusy(true);
    try {
      const out = await api.postRaw<{ created: string[]; existing: string[] }>("/v1/category-catalogue", { items });
      setResult(out);
      setChoices({});
      await queryClient.invalidateQueries({ queryKey: ["wangge", "category-catalogue"] });
      await queryClient.invalidateQueries({ queryKey: ["wangge", "setup"] });
      notify("app.catalogue.applied", { type: "success", messageArgs: { created: out.created.length } });
    } catch (e) {
      notifyError(notify, e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Box sx={{ p: { xs: 1, sm: 2 } }} data-testid="catalogue-page">
      <Title title="app.catalogue.title" />
      <Stack spacing={2}>
        <Typography variant="body2">{translate("app.catalogue.intro")}</Typography>
        <Typography variant="caption" color="text.secondary">
          {translate("app.setup.divisions.source")}：{data.source}
        </Typography>
        {data.classes.map((cls) => {
          const own = choice(cls);
          const deadlines = own.deadlines ?? cls.deadlines;
          return (
            <Card variant="outlined" key={cls.code} data-testid={`catalogue-class-${cls.code}`}>
              <CardContent>
                <Stack direction="row" sx={{ alignItems: "center", gap: 1 }}>
                  <Checkbox checked={cls.exists || own.picked} disabled={cls.exists} onChange={(e) => pickClass(cls, e.target.checked)} slotProps={{ input: { "data-testid": `catalogue-pick-${cls.code}` } as object }} />
                  <Typography sx={{ fontFamily: "monospace" }}>{cls.code}</Typography>
                  <TextField size="small" variant="standard" sx={{ width: 200 }} value={own.name} disabled={cls.exists || !own.picked} onChange={(e) => set(cls.code, { name: e.target.value }, cls)} slotProps={{ htmlInput: { maxLength: 64, "data-testid": `catalogue-name-${cls.code}` } }} />
                  {cls.exists ? <Chip size="small" color="success" variant="outlined" label={translate("app.catalogue.exists", { name: cls.countyName ?? "" })} data-user-text /> : null}
                  {cls.isDispute ? <Chip size="small" label={translate("resources.categories.fields.isDispute")} /> : null}
                  {cls.urgent ? <Chip size="small" color="error" variant="outlined" label={translate("resources.categories.fields.urgent")} /> : null}
                  {cls.police ? <Chip size="small" color="info" variant="outlined" label={translate("resources.categories.fields.police")} /> : null}
                </Stack>
                <Stack direction="row" sx={{ gap: 2, flexWrap: "wrap", my: 1, pl: 6 }}>
                  {STAGES.filter((s) => deadlines[s]).map((s) => (
                    <Stack direction="row" key={s} sx={{ alignItems: "center", gap: 0.5 }}>
                      <Typography variant="body2" color="text.secondary" sx={{ whiteSpace: "nowrap" }}>
                        {translate(`app.stages.${s}`)}
                      </Typography>
                      <TextField
                        size="small"
                        type="number"
                        variant="standard"
                        sx={{ width: 56 }}
                        disabled={cls.exists || !own.picked}
                        value={deadlines[s].amount}
                        onChange={(e) => set(cls.code, { deadlines: { ...deadlines, [s]: { ...deadlines[s], amount: Number(e.target.value) } } }, cls)}
                        slotProps={{ htmlInput: { min: 0.5, step: 0.5, "data-testid": `catalogue-deadline-${cls.code}-${s}` } }}
                      />
                      <TextField select size="small" variant="standard" disabled={cls.exists || !own.picked} value={deadlines[s].unit} onChange={(e) => set(cls.code, { deadlines: { ...deadlines, [s]: { ...deadlines[s], unit: e.target.value } } }, cls)}>
                        {UNITS.map((u) => (
                          <MenuItem key={u} value={u}>
                            {translate(`app.duration_units.${u}`)}
                          </MenuItem>
                        ))}
                      </TextField>
                    </Stack>
                  ))}
                </Stack>
                <Box sx={{ display: "grid", gridTemplateColumns: "repeat(auto-fill, minmax(220px, 1fr))", gap: 0.5, pl: 4 }}>
                  {cls.children.map((child) => {
                    const c = choice(child);
                    return (
                      <Stack direction="row" key={child.code} sx={{ alignItems: "center" }} data-testid={`catalogue-child-${child.code}`}>
                        <Checkbox
                          size="small"
                          checked={child.exists || c.picked}
                          disabled={child.exists}
                          onChange={(e) => (set(child.code, { picked: e.target.checked }, child), e.target.checked && !cls.exists ? set(cls.code, { picked: true }, cls) : undefined)}
                          slotProps={{ input: { "data-testid": `catalogue-pick-${child.code}` } as object }}
                        />
                        <Typography variant="body2" sx={{ fontFamily: "monospace", mr: 1 }}>
                          {child.code}
                        </Typography>
                        {child.exists && child.countyName !== child.name ? (
                          <Typography variant="caption" color="text.secondary" sx={{ mr: 1 }} data-user-text>
                            {child.countyName}
                          </Typography>
                        ) : null}
                        <TextField size="small" variant="standard" value={c.name} disabled={child.exists || !c.picked} onChange={(e) => set(child.code, { name: e.target.value }, child)} slotProps={{ htmlInput: { maxLength: 64 } }} />
                      </Stack>
                    );
                  })}
                </Box>
              </CardContent>
            </Card>
          );
        })}
        <Stack direction="row" sx={{ gap: 2, alignItems: "center", flexWrap: "wrap" }}>
          <Button variant="contained" disabled={busy || items.length === 0} onClick={apply} data-testid="catalogue-apply">
            {translate("app.catalogue.apply", { count: items.length })}
          </Button>
          <Button component={RouterLink} to="/categories">
            {translate("app.catalogue.back")}
          </Button>
          {result ? (
            <Typography variant="body2" data-testid="catalogue-result">
              {translate("app.catalogue.result", { created: result.created.length, existing: result.existing.length })}
            </Typography>
          ) : null}
        </Stack>
      </Stack>
    </Box>
  );
}
