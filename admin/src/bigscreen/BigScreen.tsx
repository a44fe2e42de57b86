/**
 * 数据大屏: the command centre's wall. Full screen (no menu or app bar; the browser's full-screen
 * mode one click away), dark, large type readable across a room, refreshed every 30 s:
 * today's reports and closures, open cases, on-time rates (`GET /v1/stats/overview`, exact from
 * the aggregates), the county map of open cases by unit, the five-colour map of the latest
 * appraised month (`/v1/appraisals/{month}/map`, when it exists and the caller may read it) and
 * the department ranking.
 */
import { lazy, Suspense, useEffect, useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { Box, Button, CssBaseline, Stack, ThemeProvider, Typography, createTheme } from "@mui/material";
import FullscreenIcon from "@mui/icons-material/Fullscreen";
import { useAuthenticated, useDataProvider, useLocaleState, usePermissions, useTranslate } from "react-admin";
import { useNavigate } from "react-router-dom";
import type { AppDataProvider } from "../dataProvider.ts";
import { intlLocale } from "../i18n/index.ts";
import { DepartmentName } from "../common/NameLabels.tsx";
import { isBoundary } from "../map/geo.ts";
import type { MapShape } from "../map/MapView.tsx";
import { onTimeRate, type Overview } from "../dashboard/overview.ts";
import { bandCss, shiftMonth, type Band } from "../appraisals/model.ts";
import { useBandLabel } from "../appraisals/common.tsx";

const MapView = lazy(() => import("../map/MapView.tsx"));

const REFRESH = 30_000;
const dark = createTheme({ palette: { mode: "dark", background: { default: "#0b1426", paper: "#12203a" } }, typography: { fontSize: 16 } });

/** Open cases → colour, from calm to busy. */
const heat = (n: number, max: number) => {
  if (n === 0) return "#2e7d32";
  const r = max ? n / max : 0;
  return r > 0.66 ? "#d32f2f" : r > 0.33 ? "#f57c00" : "#fbc02d";
};

const Big = ({ label, value, color, testId }: { label: string; value: string | number; color?: string; testId: string }) => (
  <Box sx={{ flex: 1, minWidth: 220, p: 2, borderRadius: 2, bgcolor: "background.paper", textAlign: "center" }}>
    <Typography sx={{ fontSize: "1.6rem", opacity: 0.8 }}>{label}</Typography>
    <Typography sx={{ fontSize: "4.5rem", fontWeight: 700, lineHeight: 1.1, color }} data-testid={testId} data-value={value}>
      {value}
    </Typography>
  </Box>
);

const Panel = ({ title, children, testId }: { title: string; children: React.ReactNode; testId: string }) => (
  <Box sx={{ flex: 1, minWidth: 360, p: 2, borderRadius: 2, bgcolor: "background.paper", display: "flex", flexDirection: "column" }} data-testid={testId}>
    <Typography sx={{ fontSize: "1.6rem", mb: 1 }}>{title}</Typography>
    <Box sx={{ flex: 1 }}>{children}</Box>
  </Box>
);

type MapData = { bands: Band[]; items: { id: string; name: string; pathName: string; band: Band | null; boundary?: unknown }[] };

/** The five-colour map of this month, else last month (appraisal results exist once a run finished). */
function useFiveColours(month: string | undefined, enabled: boolean) {
  const api = useDataProvider<AppDataProvider>();
  return useQuery({
    queryKey: ["wangge", "bigscreen", "five", month],
    enabled: enabled && !!month,
    refetchInterval: REFRESH * 10,
    retry: false,
    queryFn: async () => {
      for (const period of [month!, shiftMonth(month!, -1)]) {
        try {
          const m = await api.getRaw<MapData>(`/v1/appraisals/${period}/map`, { level: "grid" });
          if (m.items.some((i) => i.band)) return { period, ...m };
        } catch {
          /* no run for this month */
        }
      }
      return null;
    },
  });
}

export default function BigScreen() {
  useAuthenticated();
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const navigate = useNavigate();
  const api = useDataProvider<AppDataProvider>();
  const { permissions } = usePermissions<string[]>();
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const t = setInterval(() => setNow(new Date()), 1000);
    return () => clearInterval(t);
  }, []);
  const { data, dataUpdatedAt } = useQuery({
    queryKey: ["wangge", "bigscreen", "overview"],
    queryFn: () => api.getRaw<Overview & { children: (Overview["children"][number] & { boundary?: unknown })[] }>("/v1/stats/overview"),
    refetchInterval: REFRESH,
  });
  const five = useFiveColours(data?.month, !!permissions?.includes("appraisals:read"));
  const clock = new Intl.DateTimeFormat(intlLocale(locale), { dateStyle: "full", timeStyle: "medium", hourCycle: "h23" });
  const time = new Intl.DateTimeFormat(intlLocale(locale), { timeStyle: "medium", hourCycle: "h23" });
  const bandLabel = useBandLabel();
  const pct = (v: number | null) => (v === null ? "—" : `${v}%`);
  const t = data?.totals;
  const maxOpen = Math.max(0, ...(data?.children ?? []).map((c) => c.open));
  const openShapes: MapShape[] = (data?.children ?? [])
    .filter((c) => isBoundary(c.boundary))
    .map((c) => ({ id: c.id, boundary: c.boundary as MapShape["boundary"], color: heat(c.open, maxOpen), label: `${c.name} · ${c.open}` }));
  const fiveShapes: MapShape[] = (five.data?.items ?? [])
    .filter((i) => isBoundary(i.boundary))
    .map((i) => ({ id: i.id, boundary: i.boundary as MapShape["boundary"], color: bandCss(i.band?.color), label: `${i.pathName} · ${bandLabel(i.band)}` }));
  const departments = [...(data?.departments ?? [])].sort((a, b) => (b.month.closed ?? 0) - (a.month.closed ?? 0)).slice(0, 8);

  return (
    <ThemeProvider theme={dark}>
      <CssBaseline />
      <Box sx={{ minHeight: "100vh", p: 3, display: "flex", flexDirection: "column", gap: 2 }} data-testid="bigscreen">
        <Stack direction="row" sx={{ alignItems: "center", gap: 2 }}>
          <Typography sx={{ fontSize: "2.6rem", fontWeight: 700, flex: 1 }}>
            {translate("app.bigscreen.title")}
            {data?.units[0] ? ` · ${data.units.map((u) => u.name).join("、")}` : ""}
          </Typography>
          <Typography sx={{ fontSize: "1.6rem" }} data-testid="bigscreen-clock">
            {clock.format(now)}
          </Typography>
          <Button variant="outlined" startIcon={<FullscreenIcon />} onClick={() => void document.documentElement.requestFullscreen?.().catch(() => undefined)}>
            {translate("app.bigscreen.fullscreen")}
          </Button>
          <Button variant="text" onClick={() => navigate("/")}>
            {translate("app.bigscreen.exit")}
          </Button>
        </Stack>
        <Stack direction="row" sx={{ gap: 2, flexWrap: "wrap" }}>
          <Big label={translate("app.bigscreen.today_reports")} value={t?.today.reports ?? 0} testId="big-today-reports" />
          <Big label={translate("app.bigscreen.today_closed")} value={t?.today.closed ?? 0} color="#66bb6a" testId="big-today-closed" />
          <Big label={translate("app.bigscreen.open_now")} value={t?.open ?? 0} color="#ffb74d" testId="big-open" />
          <Big label={translate("app.bigscreen.month_reports")} value={t?.month.reports ?? 0} testId="big-month-reports" />
          <Big label={translate("app.bigscreen.ontime_close")} value={pct(t ? onTimeRate(t.month) : null)} color="#4fc3f7" testId="big-ontime-close" />
          <Big label={translate("app.bigscreen.ontime_handle")} value={pct(t ? onTimeRate(t.month, "handled") : null)} color="#4fc3f7" testId="big-ontime-handle" />
        </Stack>
        <Stack direction="row" sx={{ gap: 2, flex: 1, flexWrap: "wrap" }}>
          <Panel title={translate("app.bigscreen.open_map")} testId="big-open-map">
            <Suspense fallback={null}>{openShapes.length ? <MapView shapes={openShapes} height={460} data-testid="big-map-open" /> : null}</Suspense>
          </Panel>
          <Panel title={five.data ? translate("app.bigscreen.five_colors", { month: five.data.period }) : translate("app.bigscreen.five_colors", { month: data?.month ?? "" })} testId="big-five-map">
            {five.data && fiveShapes.length ? (
              <>
                <Suspense fallback={null}>
                  <MapView shapes={fiveShapes} height={420} data-testid="big-map-five" />
                </Suspense>
                <Stack direction="row" sx={{ gap: 2, mt: 1, flexWrap: "wrap" }}>
                  {five.data.bands.map((b) => (
                    <Stack key={b.color} direction="row" sx={{ alignItems: "center", gap: 1 }}>
                      <Box sx={{ width: 22, height: 22, borderRadius: 0.5, bgcolor: bandCss(b.color) }} />
                      <Typography sx={{ fontSize: "1.2rem" }}>{bandLabel(b)}</Typography>
                    </Stack>
                  ))}
                </Stack>
              </>
            ) : (
              <Typography sx={{ fontSize: "1.4rem", opacity: 0.7 }} data-testid="big-no-appraisal">
                {translate("app.bigscreen.no_appraisal")}
              </Typography>
            )}
          </Panel>
          <Panel title={translate("app.bigscreen.departments")} testId="big-departments">
            {departments.map((d, i) => {
              const rate = onTimeRate(d.month);
              return (
                <Stack key={d.id} direction="row" sx={{ alignItems: "center", gap: 2, py: 0.75, fontSize: "1.5rem" }} data-testid="big-department">
                  <Typography sx={{ fontSize: "1.5rem", width: 36, fontWeight: 700, color: i < 3 ? "#ffd54f" : undefined }}>{i + 1}</Typography>
                  <Typography sx={{ fontSize: "1.5rem", flex: 1 }} noWrap>
                    <DepartmentName id={d.id} />
                  </Typography>
                  <Typography sx={{ fontSize: "1.5rem", fontWeight: 700 }}>{d.month.closed ?? 0}</Typography>
                  <Typography sx={{ fontSize: "1.2rem", width: 90, textAlign: "right", opacity: 0.8 }}>{pct(rate)}</Typography>
                </Stack>
              );
            })}
          </Panel>
        </Stack>
        <Typography sx={{ opacity: 0.6 }}>{dataUpdatedAt ? translate("app.bigscreen.updated", { time: time.format(new Date(dataUpdatedAt)) }) : ""}</Typography>
      </Box>
    </ThemeProvider>
  );
}
