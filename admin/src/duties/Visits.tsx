/**
 * Household visits (走访): on a household's page, its visits with their photos and a button to
 * log one (notes, photos, optional location); on the visits page, the overdue households per
 * class (key weekly, monitored monthly by default) and the caller's own recent visits.
 */
import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  Alert,
  Box,
  Button,
  Card,
  CardContent,
  CardHeader,
  Chip,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  Link as MuiLink,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField,
  Typography,
} from "@mui/material";
import AddIcon from "@mui/icons-material/AddLocationAlt";
import { Form, TextInput, Title, maxLength, useCreatePath, useNotify, usePermissions, useRecordContext, useTranslate } from "react-admin";
import { Link } from "react-router-dom";
import { api } from "../http.ts";
import { notifyError } from "../common/notifyError.ts";
import { PhotosInput, filesOf } from "../common/PhotosInput.tsx";
import { uploadAll } from "../common/upload.ts";
import { UnitName, UserName } from "../registry/names.tsx";
import { EvidencePhotos } from "./Evidence.tsx";
import { useFormat } from "./format.ts";

type Visit = { id: string; householdId: string; userId: string; actorName?: string; at: string; notes?: string; photos: Array<{ key: string }>; location?: { lng: number; lat: number } };

const visitBase = (v: Visit) => `/v1/duties/households/${encodeURIComponent(v.householdId)}/visits/${encodeURIComponent(v.id)}`;

export const VisitRows = ({ visits, showHousehold }: { visits: Visit[]; showHousehold?: boolean }) => {
  const translate = useTranslate();
  const fmt = useFormat();
  const createPath = useCreatePath();
  return (
    <Table size="small" data-testid="visits-table">
      <TableHead>
        <TableRow>
          <TableCell>{translate("app.duties.visit.at")}</TableCell>
          {showHousehold && <TableCell>{translate("app.duties.visit.household")}</TableCell>}
          <TableCell>{translate("app.duties.visit.by")}</TableCell>
          <TableCell>{translate("app.duties.visit.notes")}</TableCell>
          <TableCell>{translate("app.duties.visit.location")}</TableCell>
          <TableCell>{translate("app.duties.photos")}</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {visits.map((v) => (
          <TableRow key={v.id} data-testid="visit-row">
            <TableCell sx={{ whiteSpace: "nowrap" }}>{fmt.dateTime(v.at)}</TableCell>
            {showHousehold && (
              <TableCell>
                <Link to={createPath({ resource: "households", id: v.householdId, type: "show" })}>{translate("app.duties.visit.open_household")}</Link>
              </TableCell>
            )}
            <TableCell>
              <UserName id={v.userId} fallback={v.actorName} />
            </TableCell>
            <TableCell>{v.notes ?? "—"}</TableCell>
            <TableCell>{v.location ? `${v.location.lat.toFixed(5)}, ${v.location.lng.toFixed(5)}` : "—"}</TableCell>
            <TableCell>
              <EvidencePhotos base={visitBase(v)} photos={v.photos} query={`?at=${encodeURIComponent(v.at)}`} />
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
};

/** The log-a-visit dialog: notes, photos (uploaded first), and the device's location if given. */
const LogVisitDialog = ({ householdId, open, onClose }: { householdId: string; open: boolean; onClose: () => void }) => {
  const translate = useTranslate();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const [location, setLocation] = useState<{ lng: number; lat: number } | undefined>();
  const log = useMutation({
    mutationFn: async (values: Record<string, unknown>) => {
      const photos = await uploadAll("/v1/uploads", filesOf(values.photos), "other");
      const body = { householdId, notes: (values.notes as string)?.trim() || undefined, photos: photos.map((p) => ({ key: p.key })), location };
      return (await api("/v1/duties/visits", { method: "POST", body })).json;
    },
    onSuccess: () => {
      notify("app.duties.visit.logged", { type: "success" });
      queryClient.invalidateQueries({ queryKey: ["wangge", "visits"] });
      setLocation(undefined);
      onClose();
    },
    onError: (e) => notifyError(notify, e),
  });
  const locate = () =>
    navigator.geolocation?.getCurrentPosition(
      (pos) => setLocation({ lng: pos.coords.longitude, lat: pos.coords.latitude }),
      () => notify("app.duties.no_location", { type: "warning" }),
    );
  return (
    <Dialog open={open} onClose={onClose} maxWidth="sm" fullWidth data-testid="visit-dialog">
      <Form onSubmit={(values: Record<string, any>) => log.mutate(values)}>
        <DialogTitle>{translate("app.duties.visit.log")}</DialogTitle>
        <DialogContent>
          <NotesInput />
          <PhotosInput source="photos" testId="visit-photos" />
          <Stack direction="row" sx={{ alignItems: "center", gap: 1 }}>
            <Button size="small" onClick={locate}>
              {translate("app.duties.use_location")}
            </Button>
            {location && <Chip size="small" label={`${location.lat.toFixed(5)}, ${location.lng.toFixed(5)}`} onDelete={() => setLocation(undefined)} />}
          </Stack>
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>{translate("ra.action.cancel")}</Button>
          <Button type="submit" variant="contained" disabled={log.isPending} data-testid="visit-submit">
            {translate("app.duties.visit.save")}
          </Button>
        </DialogActions>
      </Form>
    </Dialog>
  );
};

const NotesInput = () => <TextInput source="notes" label="app.duties.visit.notes" multiline fullWidth validate={maxLength(2000)} />;

/** The visits block of a household's page. */
export const HouseholdVisits = () => {
  const record = useRecordContext();
  const translate = useTranslate();
  const { permissions } = usePermissions<string[]>();
  const [open, setOpen] = useState(false);
  const { data } = useQuery({
    queryKey: ["wangge", "visits", "household", record?.id],
    queryFn: async () => (await api<{ items: Visit[] }>("/v1/duties/visits", { query: { householdId: String(record!.id), limit: 50 } })).json.items,
    enabled: !!record?.id,
  });
  if (!record) return null;
  return (
    <Card variant="outlined">
      <CardHeader
        title={translate("app.duties.visit.title")}
        slotProps={{ title: { variant: "subtitle1" } }}
        action={
          permissions?.includes("registry:write") ? (
            <Button startIcon={<AddIcon />} onClick={() => setOpen(true)} data-testid="visit-log">
              {translate("app.duties.visit.log")}
            </Button>
          ) : null
        }
      />
      <CardContent>{data?.length ? <VisitRows visits={data} /> : <Typography variant="body2">{translate("app.duties.visit.none")}</Typography>}</CardContent>
      <LogVisitDialog householdId={String(record.id)} open={open} onClose={() => setOpen(false)} />
    </Card>
  );
};

type Overdue = { householdId: string; unitId: string; address: string; class: string; lastVisitAt: string | null; dueAt: string; daysOverdue: number };

/** `#/visits`: overdue households by class, and my recent visits. */
export default function VisitsPage() {
  const translate = useTranslate();
  const fmt = useFormat();
  const createPath = useCreatePath();
  const overdue = useQuery({
    queryKey: ["wangge", "visits", "overdue"],
    queryFn: async () => (await api<{ items: Overdue[] }>("/v1/duties/visits/overdue", { query: { limit: 200 } })).json.items,
  });
  const mine = useQuery({
    queryKey: ["wangge", "visits", "mine"],
    queryFn: async () => (await api<{ items: Visit[] }>("/v1/duties/visits", { query: { limit: 50 } })).json.items,
  });
  const classes = ["key", "monitored", "general"].filter((c) => overdue.data?.some((o) => o.class === c));
  return (
    <Box sx={{ p: 2, display: "grid", gap: 2 }} data-testid="visits-page">
      <Title title="app.duties.visit.page_title" />
      <Card variant="outlined">
        <CardHeader title={translate("app.duties.visit.overdue")} slotProps={{ title: { variant: "subtitle1" } }} />
        <CardContent>
          {overdue.isError && <Alert severity="error">{translate("app.errors.internal")}</Alert>}
          {overdue.data && !overdue.data.length && <Typography variant="body2">{translate("app.duties.visit.none_overdue")}</Typography>}
          {classes.map((c) => (
            <Box key={c} sx={{ mb: 2 }} data-testid={`overdue-${c}`}>
              <Typography variant="subtitle2" sx={{ mb: 0.5 }}>
                {translate(`app.registry.classes.${c}`)} · {overdue.data!.filter((o) => o.class === c).length}
              </Typography>
              <Table size="small">
                <TableHead>
                  <TableRow>
                    <TableCell>{translate("resources.households.fields.address")}</TableCell>
                    <TableCell>{translate("resources.households.fields.unitId")}</TableCell>
                    <TableCell>{translate("app.duties.visit.last")}</TableCell>
                    <TableCell>{translate("app.duties.visit.days_overdue")}</TableCell>
                  </TableRow>
                </TableHead>
                <TableBody>
                  {overdue
                    .data!.filter((o) => o.class === c)
                    .map((o) => (
                      <TableRow key={o.householdId}>
                        <TableCell>
                          <MuiLink component={Link} to={createPath({ resource: "households", id: o.householdId, type: "show" })}>
                            {o.address}
                          </MuiLink>
                        </TableCell>
                        <TableCell>
                          <UnitName id={o.unitId} />
                        </TableCell>
                        <TableCell>{o.lastVisitAt ? fmt.dateTime(o.lastVisitAt) : translate("app.duties.visit.never")}</TableCell>
                        <TableCell>{o.daysOverdue}</TableCell>
                      </TableRow>
                    ))}
                </TableBody>
              </Table>
            </Box>
          ))}
        </CardContent>
      </Card>
      <Card variant="outlined">
        <CardHeader title={translate("app.duties.visit.mine")} slotProps={{ title: { variant: "subtitle1" } }} />
        <CardContent>{mine.data?.length ? <VisitRows visits={mine.data} showHousehold /> : <Typography variant="body2">{translate("app.duties.visit.none")}</Typography>}</CardContent>
      </Card>
    </Box>
  );
}
