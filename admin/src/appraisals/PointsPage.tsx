/**
 * A grid worker's points ledger (`/appraisals/points/:userId`): balance, earned, redeemed,
 * quarterly totals, every entry (earned per month with its lines: valid reports, on-the-spot
 * resolutions, on-time checks, satisfied evaluations; redeemed with the item and reason), and a
 * redemption dialog for those who may redeem (the API refuses more than the balance: 409).
 */
import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link as RouterLink, useParams } from "react-router-dom";
import { Alert, Box, Breadcrumbs, Button, Card, CardContent, Dialog, DialogActions, DialogContent, DialogTitle, LinearProgress, Link, Stack, Table, TableBody, TableCell, TableHead, TableRow, TextField, Typography } from "@mui/material";
import RedeemIcon from "@mui/icons-material/Redeem";
import { Authenticated, Title, useCanAccess, useLocaleState, useNotify, useTranslate } from "react-admin";
import { intlLocale } from "../i18n/index.ts";
import { errorInfo } from "../errors.ts";
import { notifyError } from "../common/notifyError.ts";
import { ExportButton, useApi } from "./common.tsx";

type Entry = { period: string; kind: "earn" | "redeem"; id: string; points: number; at: string; lines?: { key: string; count: number; each: number; points: number }[]; item?: string; note?: string; by?: { name?: string; id: string } };
type Ledger = { userId: string; name?: string; pathName?: string; balance: number; earned: number; redeemed: number; quarters: { quarter: string; earned: number; redeemed: number }[]; entries: Entry[] };

const RedeemDialog = ({ userId, balance, open, onClose }: { userId: string; balance: number; open: boolean; onClose: () => void }) => {
  const translate = useTranslate();
  const notify = useNotify();
  const api = useApi();
  const qc = useQueryClient();
  const [points, setPoints] = useState("");
  const [item, setItem] = useState("");
  const [note, setNote] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const redeem = useMutation({
    mutationFn: () => api.act("points", userId, "redeem", { points: Number(points), item: item.trim(), ...(note.trim() ? { note: note.trim() } : {}) }),
    onSuccess: () => {
      notify("app.appraisals.points.redeem_done", { type: "success" });
      setPoints("");
      setItem("");
      setNote("");
      void qc.invalidateQueries({ queryKey: ["wangge", "points", userId] });
      onClose();
    },
    onError: (e) => {
      const info = errorInfo(e);
      if (info?.code === "conflict") setErrors({ points: translate("app.appraisals.points.not_enough", { balance }) });
      else setErrors(Object.fromEntries(Object.entries(info?.errors ?? {}).map(([k, v]) => [k, translate(v, { _: v })])));
      notifyError(notify, e);
    },
  });
  const n = Number(points);
  const localError = points !== "" && (!Number.isInteger(n) || n < 1) ? translate("app.appraisals.points.whole_number") : n > balance ? translate("app.appraisals.points.not_enough", { balance }) : undefined;
  return (
    <Dialog open={open} onClose={onClose} data-testid="redeem-dialog" fullWidth maxWidth="xs">
      <DialogTitle>{translate("app.appraisals.points.redeem_title")}</DialogTitle>
      <DialogContent>
        <Typography variant="body2" sx={{ mb: 2 }}>
          {translate("app.appraisals.points.balance_now", { balance })}
        </Typography>
        <Stack spacing={2}>
          <TextField label={translate("app.appraisals.points.points")} type="number" value={points} onChange={(e) => setPoints(e.target.value)} error={!!(localError ?? errors.points)} helperText={localError ?? errors.points} slotProps={{ htmlInput: { name: "points", min: 1 } }} required />
          <TextField label={translate("app.appraisals.points.item")} value={item} onChange={(e) => setItem(e.target.value)} error={!!errors.item} helperText={errors.item ?? translate("app.appraisals.points.item_hint")} slotProps={{ htmlInput: { name: "item", maxLength: 200 } }} required />
          <TextField label={translate("app.appraisals.points.note")} value={note} onChange={(e) => setNote(e.target.value)} slotProps={{ htmlInput: { name: "note", maxLength: 500 } }} multiline />
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{translate("ra.action.cancel")}</Button>
        <Button variant="contained" disabled={!points || !item.trim() || !!localError || redeem.isPending} onClick={() => redeem.mutate()} data-testid="redeem-submit">
          {translate("app.appraisals.points.redeem")}
        </Button>
      </DialogActions>
    </Dialog>
  );
};

function PointsScreen() {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const api = useApi();
  const { userId = "" } = useParams();
  const { canAccess: canRedeem } = useCanAccess({ resource: "appraisals", action: "redeem" });
  const [open, setOpen] = useState(false);
  const q = useQuery({ queryKey: ["wangge", "points", userId], queryFn: () => api.getRaw<Ledger>(`/v1/points/${encodeURIComponent(userId)}`) });
  if (q.isLoading) return <LinearProgress />;
  if (!q.data) return <Alert severity="error">{translate("app.errors.not_found")}</Alert>;
  const l = q.data;
  const when = (at: string) => new Date(at).toLocaleString(intlLocale(locale), { hour12: false });
  const what = (e: Entry) =>
    e.kind === "earn"
      ? (e.lines ?? [])
          .filter((x) => x.count > 0)
          .map((x) => translate("app.appraisals.points.line", { what: translate(`app.appraisals.points.kinds.${x.key}`), count: x.count, each: x.each, points: x.points }))
          .join("；") || translate("app.appraisals.points.nothing_earned")
      : `${e.item ?? ""}${e.note ? ` — ${e.note}` : ""}`;
  const header = ["at", "period", "kind", "points", "detail", "by"].map((c) => translate(`app.appraisals.points.col.${c}`));
  return (
    <Box sx={{ p: { xs: 1, md: 2 } }} data-testid="points-page">
      <Title title={translate("app.appraisals.points.title", { name: l.name ?? "" })} />
      <Breadcrumbs sx={{ mb: 1 }}>
        <Link component={RouterLink} to="/appraisals?tab=workers">
          {translate("app.appraisals.title")}
        </Link>
        <Typography color="text.primary">{l.name}</Typography>
      </Breadcrumbs>
      <Card variant="outlined" sx={{ mb: 2 }}>
        <CardContent>
          <Stack direction={{ xs: "column", md: "row" }} spacing={4} sx={{ alignItems: { md: "center" } }}>
            <Box sx={{ flex: 1 }}>
              <Typography variant="h6">{l.name}</Typography>
              <Typography variant="body2" color="text.secondary">
                {l.pathName}
              </Typography>
            </Box>
            {(["balance", "earned", "redeemed"] as const).map((k) => (
              <Box key={k} sx={{ textAlign: "center" }}>
                <Typography variant="caption" color="text.secondary">
                  {translate(`app.appraisals.points.${k}`)}
                </Typography>
                <Typography variant="h5" data-testid={`points-${k}`}>
                  {l[k]}
                </Typography>
              </Box>
            ))}
            {canRedeem ? (
              <Button variant="contained" startIcon={<RedeemIcon />} disabled={l.balance <= 0} onClick={() => setOpen(true)} data-testid="redeem-button">
                {translate("app.appraisals.points.redeem")}
              </Button>
            ) : null}
          </Stack>
          {l.quarters.length ? (
            <Stack direction="row" spacing={3} sx={{ mt: 2 }} data-testid="quarters">
              {l.quarters.map((qt) => (
                <Typography key={qt.quarter} variant="body2">
                  {translate("app.appraisals.points.quarter", { quarter: qt.quarter, earned: qt.earned, redeemed: qt.redeemed })}
                </Typography>
              ))}
            </Stack>
          ) : null}
        </CardContent>
      </Card>
      <Card variant="outlined">
        <CardContent>
          <Stack direction="row" sx={{ alignItems: "center", mb: 1 }}>
            <Typography variant="subtitle1" sx={{ flex: 1 }}>
              {translate("app.appraisals.points.ledger")}
            </Typography>
            <ExportButton
              testId="export-ledger"
              filename={`points-${l.name ?? userId}.csv`}
              build={async () => ({ header, rows: l.entries.map((e) => [when(e.at), e.period, translate(`app.appraisals.points.${e.kind}`), e.points, what(e), e.by?.name ?? ""]) })}
            />
          </Stack>
          <Table size="small" data-testid="ledger-table">
            <TableHead>
              <TableRow>
                {header.map((h) => (
                  <TableCell key={h}>{h}</TableCell>
                ))}
              </TableRow>
            </TableHead>
            <TableBody>
              {l.entries.map((e) => (
                <TableRow key={`${e.period}-${e.kind}-${e.id}`} data-testid="ledger-row" data-kind={e.kind}>
                  <TableCell>{when(e.at)}</TableCell>
                  <TableCell>{e.period}</TableCell>
                  <TableCell>{translate(`app.appraisals.points.${e.kind}`)}</TableCell>
                  <TableCell sx={{ color: e.points >= 0 ? "success.main" : "error.main" }}>{e.points > 0 ? `+${e.points}` : e.points}</TableCell>
                  <TableCell>{what(e)}</TableCell>
                  <TableCell>{e.kind === "earn" ? translate("app.appraisals.points.monthly_run") : (e.by?.name ?? "—")}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          {!l.entries.length ? <Typography color="text.secondary">{translate("app.appraisals.points.empty")}</Typography> : null}
        </CardContent>
      </Card>
      <RedeemDialog userId={userId} balance={l.balance} open={open} onClose={() => setOpen(false)} />
    </Box>
  );
}

export default function PointsPage() {
  return (
    <Authenticated>
      <PointsScreen />
    </Authenticated>
  );
}
