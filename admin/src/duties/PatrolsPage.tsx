/**
 * `#/patrols`: patrol logs (巡查). A worker checks in (with the device's location), checks out with
 * a note and photos, and sees their patrols of a day; whoever reads the registry over other workers
 * sees who missed the day's routine (一日双巡) and opens a worker's patrols of that day.
 */
import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, Box, Button, Card, CardContent, CardHeader, Dialog, DialogActions, DialogContent, DialogTitle, Table, TableBody, TableCell, TableHead, TableRow, TextField, Typography } from "@mui/material";
import { Form, TextInput, Title, maxLength, useNotify, usePermissions, useTranslate } from "react-admin";
import { api } from "../http.ts";
import { notifyError } from "../common/notifyError.ts";
import { PhotosInput, filesOf } from "../common/PhotosInput.tsx";
import { uploadAll } from "../common/upload.ts";
import { UnitName, UserName } from "../registry/names.tsx";
import { EvidencePhotos } from "./Evidence.tsx";
import { useFormat } from "./format.ts";

type Patrol = {
  id: string;
  userId: string;
  actorName?: string;
  unitId: string;
  date: string;
  startedAt: string;
  endedAt: string | null;
  pointsCount: number;
  distanceMeters?: number;
  durationMinutes?: number;
  note?: string;
  photos?: Array<{ key: string }>;
};
type Missed = { userId: string; username: string; displayName?: string; done: number; required: number; date: string };

const countyToday = () => new Date().toLocaleDateString("sv-SE", { timeZone: "Asia/Shanghai" });
const here = () =>
  new Promise<{ lng: number; lat: number }>((resolve, reject) => {
    if (!navigator.geolocation) return reject(new Error("no geolocation"));
    navigator.geolocation.getCurrentPosition((p) => resolve({ lng: p.coords.longitude, lat: p.coords.latitude }), reject, { timeout: 10_000 });
  });

const PatrolRows = ({ patrols }: { patrols: Patrol[] }) => {
  const translate = useTranslate();
  const fmt = useFormat();
  return (
    <Table size="small" data-testid="patrols-table">
      <TableHead>
        <TableRow>
          <TableCell>{translate("app.duties.patrol.by")}</TableCell>
          <TableCell>{translate("app.duties.patrol.unit")}</TableCell>
          <TableCell>{translate("app.duties.patrol.started")}</TableCell>
          <TableCell>{translate("app.duties.patrol.ended")}</TableCell>
          <TableCell>{translate("app.duties.patrol.points")}</TableCell>
          <TableCell>{translate("app.duties.patrol.note")}</TableCell>
          <TableCell>{translate("app.duties.photos")}</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {patrols.map((p) => (
          <TableRow key={p.id} data-testid="patrol-row">
            <TableCell>
              <UserName id={p.userId} fallback={p.actorName} />
            </TableCell>
            <TableCell>
              <UnitName id={p.unitId} />
            </TableCell>
            <TableCell>{fmt.dateTime(p.startedAt)}</TableCell>
            <TableCell>{p.endedAt ? fmt.dateTime(p.endedAt) : translate("app.duties.patrol.running")}</TableCell>
            <TableCell>
              {p.pointsCount}
              {p.distanceMeters !== undefined ? ` · ${Math.round(p.distanceMeters)} m` : ""}
            </TableCell>
            <TableCell>{p.note ?? "—"}</TableCell>
            <TableCell>
              <EvidencePhotos base={`/v1/duties/patrols/${encodeURIComponent(p.id)}`} photos={p.photos} />
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
};

const EndDialog = ({ patrol, onClose, onEnded }: { patrol: Patrol | undefined; onClose: () => void; onEnded: (x: Patrol) => void }) => {
  const translate = useTranslate();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const end = useMutation({
    mutationFn: async (values: Record<string, unknown>) => {
      const photos = await uploadAll("/v1/uploads", filesOf(values.photos), "other");
      const point = await here().catch(() => undefined);
      const body = { note: (values.note as string)?.trim() || undefined, photos: photos.map((p) => ({ key: p.key })), point };
      return (await api<Patrol>(`/v1/duties/patrols/${encodeURIComponent(patrol!.id)}/end`, { method: "POST", body })).json;
    },
    onSuccess: (x) => {
      queryClient.invalidateQueries({ queryKey: ["wangge", "patrols"] });
      onEnded(x);
      onClose();
    },
    onError: (e) => notifyError(notify, e),
  });
  return (
    <Dialog open={!!patrol} onClose={onClose} maxWidth="sm" fullWidth data-testid="patrol-end-dialog">
      <Form onSubmit={(v: Record<string, any>) => end.mutate(v)}>
        <DialogTitle>{translate("app.duties.patrol.end")}</DialogTitle>
        <DialogContent>
          <TextInput source="note" label="app.duties.patrol.note" multiline fullWidth validate={maxLength(2000)} />
          <PhotosInput source="photos" testId="patrol-photos" />
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>{translate("ra.action.cancel")}</Button>
          <Button type="submit" variant="contained" disabled={end.isPending} data-testid="patrol-end-submit">
            {translate("app.duties.patrol.end")}
          </Button>
        </DialogActions>
      </Form>
    </Dialog>
  );
};

export default function PatrolsPage() {
  const translate = useTranslate();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const { permissions } = usePermissions<string[]>();
  const [date, setDate] = useState(countyToday());
  const [worker, setWorker] = useState<string | undefined>();
  const [ending, setEnding] = useState<Patrol | undefined>();
  const patrols = useQuery({
    queryKey: ["wangge", "patrols", date, worker],
    queryFn: async () => (await api<{ items: Patrol[] }>("/v1/duties/patrols", { query: { date, userId: worker } })).json.items,
  });
  const past = date < countyToday();
  const missed = useQuery({
    queryKey: ["wangge", "patrols", "missed", date],
    queryFn: async () => (await api<{ items: Missed[] }>("/v1/duties/patrols/missed", { query: { date } })).json.items,
    enabled: past,
    retry: false,
  });
  // the caller's open patrol, whatever day it was started (one open at a time; a round can run past
  // midnight, and the device's date can differ from the county day the server gives the patrol)
  const latest = useQuery({
    queryKey: ["wangge", "patrols", "latest"],
    queryFn: async () => (await api<{ items: Patrol[] }>("/v1/duties/patrols")).json.items,
    enabled: !!permissions?.includes("registry:write"),
  });
  const start = useMutation({
    mutationFn: async () => (await api<Patrol>("/v1/duties/patrols", { method: "POST", body: { point: await here() } })).json,
    onSuccess: (x) => {
      setWorker(undefined);
      setDate(x.date); // show the day the server filed the patrol under
      return queryClient.invalidateQueries({ queryKey: ["wangge", "patrols"] });
    },
    onError: (e) => (e instanceof GeolocationPositionError || (e as Error).message === "no geolocation" ? notify("app.duties.no_location", { type: "warning" }) : notifyError(notify, e)),
  });
  const open = latest.data?.find((p) => !p.endedAt);
  const writer = permissions?.includes("registry:write");
  return (
    <Box sx={{ p: 2, display: "grid", gap: 2 }} data-testid="patrols-page">
      <Title title="app.duties.patrol.page_title" />
      <Box sx={{ display: "flex", gap: 2, alignItems: "center", flexWrap: "wrap" }}>
        <TextField type="date" size="small" label={translate("app.duties.patrol.date")} value={date} onChange={(e) => setDate(e.target.value)} slotProps={{ inputLabel: { shrink: true } }} />
        {worker && (
          <Button onClick={() => setWorker(undefined)}>
            {translate("app.duties.patrol.back_to_mine")}
          </Button>
        )}
        {writer && !worker && latest.isSuccess && (open ? (
          <Button variant="contained" color="secondary" onClick={() => setEnding(open)} data-testid="patrol-end">
            {translate("app.duties.patrol.end")}
          </Button>
        ) : date === countyToday() && (
          <Button variant="contained" onClick={() => start.mutate()} disabled={start.isPending} data-testid="patrol-start">
            {translate("app.duties.patrol.start")}
          </Button>
        ))}
      </Box>
      <Card variant="outlined">
        <CardHeader
          title={worker ? <UserName id={worker} /> : translate("app.duties.patrol.mine")}
          slotProps={{ title: { variant: "subtitle1" } }}
        />
        <CardContent>
          {patrols.isError && <Alert severity="warning">{translate("app.errors.forbidden")}</Alert>}
          {patrols.data?.length ? <PatrolRows patrols={patrols.data} /> : <Typography variant="body2">{translate("app.duties.patrol.none")}</Typography>}
        </CardContent>
      </Card>
      {past && missed.data && (
        <Card variant="outlined">
          <CardHeader title={translate("app.duties.patrol.missed")} slotProps={{ title: { variant: "subtitle1" } }} />
          <CardContent>
            {!missed.data.length ? (
              <Typography variant="body2">{translate("app.duties.patrol.none_missed")}</Typography>
            ) : (
              <Table size="small" data-testid="patrols-missed">
                <TableHead>
                  <TableRow>
                    <TableCell>{translate("app.duties.patrol.by")}</TableCell>
                    <TableCell>{translate("app.duties.patrol.done")}</TableCell>
                    <TableCell />
                  </TableRow>
                </TableHead>
                <TableBody>
                  {missed.data.map((m) => (
                    <TableRow key={m.userId}>
                      <TableCell>
                        <UserName id={m.userId} fallback={m.displayName ?? m.username} />
                      </TableCell>
                      <TableCell>
                        {m.done} / {m.required}
                      </TableCell>
                      <TableCell>
                        <Button size="small" onClick={() => setWorker(m.userId)}>
                          {translate("app.duties.patrol.open_worker")}
                        </Button>
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            )}
          </CardContent>
        </Card>
      )}
      <EndDialog patrol={ending} onClose={() => setEnding(undefined)} onEnded={(x) => (setWorker(undefined), setDate(x.date))} />
    </Box>
  );
}
