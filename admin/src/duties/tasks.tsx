/**
 * Tasks (任务) from departments to grid workers: a department asks (type, units, due date), the
 * center approves or refuses, approval pushes one work item per grid; workers complete their grid
 * with the type's fields and photos; progress per grid until every grid is done.
 */
import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
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
  LinearProgress,
  MenuItem,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField as MuiTextField,
  Typography,
} from "@mui/material";
import {
  AutocompleteArrayInput,
  BooleanInput,
  Create,
  DataTable,
  DateInput,
  Form,
  Labeled,
  List,
  NumberInput,
  ReferenceArrayInput,
  ReferenceInput,
  SelectInput,
  Show,
  SimpleForm,
  SimpleShowLayout,
  TextField,
  TextInput,
  TopToolbar,
  maxLength,
  required,
  useNotify,
  usePermissions,
  useRecordContext,
  useRefresh,
  useTranslate,
  AutocompleteInput,
} from "react-admin";
import { useMutation } from "@tanstack/react-query";
import { api } from "../http.ts";
import { getMe } from "../session.ts";
import { ROLE_PERMISSIONS_WRITE } from "./roles.ts";
import { choicesOf } from "../common/choices.ts";
import { Col, EnumField } from "../common/fields.tsx";
import { ListPagination } from "../common/ListPagination.tsx";
import { SaveToolbar } from "../common/SaveToolbar.tsx";
import { notifyError } from "../common/notifyError.ts";
import { PhotosInput, filesOf } from "../common/PhotosInput.tsx";
import { uploadAll } from "../common/upload.ts";
import { errorInfo } from "../errors.ts";
import { unitLabel, unitSearch } from "../units/options.tsx";
import { DepartmentField, UnitName, UserName } from "../registry/names.tsx";
import { EvidencePhotos } from "./Evidence.tsx";
import { useFormat } from "./format.ts";

const STATES = ["requested", "active", "done", "refused"] as const;
const stateChoices = choicesOf("app.duties.task.states", STATES);
const STATE_COLOR: Record<string, "default" | "info" | "success" | "error"> = { requested: "info", active: "default", done: "success", refused: "error" };

export const TaskStateChip = (_: { label?: string }) => {
  const r = useRecordContext();
  const translate = useTranslate();
  if (!r) return null;
  return (
    <Box sx={{ display: "flex", gap: 0.5 }}>
      <Chip size="small" color={STATE_COLOR[r.state] ?? "default"} label={translate(`app.duties.task.states.${r.state}`)} data-testid={`task-state-${r.state}`} />
      {r.overdue && <Chip size="small" color="error" variant="outlined" label={translate("app.duties.task.overdue")} />}
    </Box>
  );
};

export const ProgressField = (_: { label?: string }) => {
  const r = useRecordContext();
  if (!r?.progress) return null;
  return (
    <Box sx={{ minWidth: 140 }} data-testid="task-progress">
      <LinearProgress variant="determinate" value={r.progress.percent} sx={{ height: 8, borderRadius: 1 }} />
      <Typography variant="caption">
        {r.progress.done} / {r.progress.total}
      </Typography>
    </Box>
  );
};

const DueField = (_: { label?: string }) => {
  const r = useRecordContext();
  const fmt = useFormat();
  return <>{fmt.dueDay(r?.dueAt)}</>;
};

const filters = [
  <SelectInput key="state" source="state" choices={stateChoices} alwaysOn />,
  <SelectInput key="overdue" source="overdue" choices={[{ id: "true", name: "app.duties.task.overdue" }]} />,
];

export function TaskList() {
  return (
    <List filters={filters} exporter={false} perPage={50} pagination={<ListPagination />}>
      <DataTable rowClick="show" bulkActionButtons={false} data-testid="tasks-table">
        <Col source="title">
          <TextField source="title" data-user-text />
        </Col>
        <Col source="typeName" field={TextField} />
        <Col source="departmentId">
          <DepartmentField source="departmentId" />
        </Col>
        <Col source="state">
          <TaskStateChip />
        </Col>
        <Col source="progress">
          <ProgressField />
        </Col>
        <Col source="dueAt">
          <DueField />
        </Col>
      </DataTable>
    </List>
  );
}

export function TaskCreate() {
  return (
    <Create redirect="show">
      <SimpleForm toolbar={<SaveToolbar />} defaultValues={{ unitIds: [] }}>
        <ReferenceInput source="typeId" reference="task-types" perPage={200}>
          <AutocompleteInput optionText="name" validate={required()} label="resources.tasks.fields.typeId" />
        </ReferenceInput>
        <TextInput source="title" validate={maxLength(100)} helperText="app.duties.task.title_help" />
        <TextInput source="description" multiline fullWidth validate={maxLength(2000)} />
        <ReferenceArrayInput source="unitIds" reference="units">
          <AutocompleteArrayInput optionText={unitLabel} filterToQuery={unitSearch} validate={required()} label="resources.tasks.fields.unitIds" helperText="app.duties.task.units_help" />
        </ReferenceArrayInput>
        <DateInput source="dueDate" helperText="app.duties.task.due_help" />
      </SimpleForm>
    </Create>
  );
}

/** Approve (with the choice for grids without a worker, when the API asks for one) or refuse. */
const DecisionButtons = () => {
  const r = useRecordContext();
  const translate = useTranslate();
  const notify = useNotify();
  const refresh = useRefresh();
  const { permissions } = usePermissions<string[]>();
  const [dialog, setDialog] = useState<"approve" | "refuse" | undefined>();
  const [text, setText] = useState("");
  const [unassigned, setUnassigned] = useState<{ grids: Array<{ name: string; code: string }>; choices: string[] } | undefined>();
  const [choice, setChoice] = useState("");
  const decide = useMutation({
    mutationFn: async () => {
      const body = dialog === "approve" ? { note: text.trim() || undefined, unassigned: choice || undefined } : { reason: text.trim() };
      return (await api(`/v1/tasks/${encodeURIComponent(String(r!.id))}/${dialog}`, { method: "POST", body })).json;
    },
    onSuccess: () => {
      setDialog(undefined);
      setUnassigned(undefined);
      refresh();
    },
    onError: (e) => {
      const info = errorInfo(e);
      const d = info?.details as { reason?: string; grids?: Array<{ name: string; code: string }>; choices?: string[] } | null;
      if (d?.reason === "unassigned_grids") setUnassigned({ grids: d.grids ?? [], choices: d.choices ?? [] });
      else notifyError(notify, e);
    },
  });
  if (!r || r.state !== "requested" || !permissions?.includes("tasks:manage")) return null;
  return (
    <>
      <Button variant="contained" onClick={() => setDialog("approve")} data-testid="task-approve">
        {translate("app.duties.task.approve")}
      </Button>
      <Button color="error" onClick={() => setDialog("refuse")} data-testid="task-refuse">
        {translate("app.duties.task.refuse")}
      </Button>
      <Dialog open={!!dialog} onClose={() => setDialog(undefined)} maxWidth="sm" fullWidth data-testid={`task-${dialog}-dialog`}>
        <DialogTitle>{translate(`app.duties.task.${dialog ?? "approve"}`)}</DialogTitle>
        <DialogContent>
          {unassigned && (
            <>
              <Alert severity="warning" sx={{ mb: 1 }}>
                {translate("app.duties.task.unassigned", { grids: unassigned.grids.map((g) => g.name).join("、") })}
              </Alert>
              <MuiTextField select fullWidth size="small" value={choice} onChange={(e) => setChoice(e.target.value)} label={translate("app.duties.task.unassigned_choice")} sx={{ mb: 2 }}>
                {unassigned.choices.map((c) => (
                  <MenuItem key={c} value={c}>
                    {translate(`app.duties.task.unassigned_choices.${c}`)}
                  </MenuItem>
                ))}
              </MuiTextField>
            </>
          )}
          <MuiTextField
            fullWidth
            multiline
            minRows={2}
            sx={{ mt: 1 }}
            label={translate(dialog === "refuse" ? "app.duties.task.reason" : "app.duties.task.note")}
            value={text}
            onChange={(e) => setText(e.target.value)}
            slotProps={{ htmlInput: { maxLength: 500, "data-testid": "task-decision-text" } }}
          />
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setDialog(undefined)}>{translate("ra.action.cancel")}</Button>
          <Button variant="contained" disabled={decide.isPending || (dialog === "refuse" && !text.trim()) || (!!unassigned && !choice)} onClick={() => decide.mutate()} data-testid="task-decision-submit">
            {translate("ra.action.confirm")}
          </Button>
        </DialogActions>
      </Dialog>
    </>
  );
};

type TaskField = { key: string; label: string; type: "text" | "number" | "boolean" | "date" | "choice"; required?: boolean; options?: string[] };
type TaskUnit = {
  unitId: string;
  unitPath?: string;
  unitName: string;
  unitCode: string;
  assignees: string[];
  status: "pending" | "done";
  late?: boolean;
  completedBy?: { id: string; name?: string };
  completedAt?: string;
  data?: Record<string, unknown>;
  photos?: Array<{ key: string }>;
  note?: string;
};

const FieldInput = ({ f }: { f: TaskField }) => {
  const source = `data.${f.key}`;
  const validate = f.required ? required() : undefined;
  switch (f.type) {
    case "number":
      return <NumberInput source={source} label={f.label} validate={validate} />;
    case "boolean":
      return <BooleanInput source={source} label={f.label} />;
    case "date":
      return <DateInput source={source} label={f.label} validate={validate} />;
    case "choice":
      return <SelectInput source={source} label={f.label} validate={validate} choices={(f.options ?? []).map((o) => ({ id: o, name: o }))} translateChoice={false} />;
    default:
      return <TextInput source={source} label={f.label} validate={validate} fullWidth />;
  }
};

const CompleteDialog = ({ taskId, typeId, unit, onClose }: { taskId: string; typeId: string; unit: TaskUnit | undefined; onClose: () => void }) => {
  const translate = useTranslate();
  const notify = useNotify();
  const refresh = useRefresh();
  const type = useQuery({
    queryKey: ["wangge", "task-type", typeId],
    queryFn: async () => (await api<{ fields: TaskField[]; photosRequired?: boolean }>(`/v1/tasks/types/${encodeURIComponent(typeId)}`)).json,
    enabled: !!unit,
  });
  const complete = useMutation({
    mutationFn: async (values: Record<string, any>) => {
      const photos = await uploadAll("/v1/uploads", filesOf(values.photos), "after");
      const body = { data: values.data ?? {}, photos: photos.map((p) => ({ key: p.key })), note: values.note?.trim() || undefined };
      return (await api(`/v1/tasks/${encodeURIComponent(taskId)}/units/${encodeURIComponent(unit!.unitId)}/complete`, { method: "POST", body })).json;
    },
    onSuccess: () => {
      notify("app.duties.task.completed", { type: "success" });
      onClose();
      refresh();
    },
    onError: (e) => notifyError(notify, e),
  });
  return (
    <Dialog open={!!unit} onClose={onClose} maxWidth="sm" fullWidth data-testid="task-complete-dialog">
      <Form onSubmit={(v: Record<string, any>) => complete.mutate(v)}>
        <DialogTitle>
          {translate("app.duties.task.complete")} · {unit?.unitName}
        </DialogTitle>
        <DialogContent>
          {(type.data?.fields ?? []).map((f) => (
            <FieldInput key={f.key} f={f} />
          ))}
          <PhotosInput source="photos" required={type.data?.photosRequired} testId="task-photos" />
          <TextInput source="note" label="app.duties.task.completion_note" multiline fullWidth validate={maxLength(2000)} />
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>{translate("ra.action.cancel")}</Button>
          <Button type="submit" variant="contained" disabled={complete.isPending || type.isPending} data-testid="task-complete-submit">
            {translate("app.duties.task.complete")}
          </Button>
        </DialogActions>
      </Form>
    </Dialog>
  );
};

/**
 * May the caller complete this grid? Its assignee, or someone writing the registry over it (the
 * API decides; this only hides buttons that would be refused).
 */
function mayComplete(u: TaskUnit): boolean {
  const me = getMe();
  if (!me) return false;
  if (u.assignees.includes(me.id)) return true;
  return me.assignments.some((a) => ROLE_PERMISSIONS_WRITE.has(a.role) && !!u.unitPath && u.unitPath.startsWith(a.unitPath));
}

/** Progress per grid: who must do it, done by whom and when, the data, note and photos. */
const UnitsTable = () => {
  const r = useRecordContext();
  const translate = useTranslate();
  const fmt = useFormat();
  const { permissions } = usePermissions<string[]>();
  const [completing, setCompleting] = useState<TaskUnit | undefined>();
  const type = useQuery({
    queryKey: ["wangge", "task-type", r?.typeId],
    queryFn: async () => (await api<{ fields: TaskField[]; photosRequired?: boolean }>(`/v1/tasks/types/${encodeURIComponent(r!.typeId)}`)).json,
    enabled: !!r?.typeId,
  });
  const labelOf = (key: string) => type.data?.fields.find((f) => f.key === key)?.label ?? key;
  if (!r) return null;
  const units: TaskUnit[] = r.units ?? [];
  return (
    <Card variant="outlined">
      <CardHeader title={translate("app.duties.task.grids")} slotProps={{ title: { variant: "subtitle1" } }} />
      <CardContent sx={{ overflowX: "auto" }}>
        {!units.length ? (
          <Typography variant="body2">{translate("app.duties.task.no_grids")}</Typography>
        ) : (
          <Table size="small" data-testid="task-units">
            <TableHead>
              <TableRow>
                <TableCell>{translate("app.duties.task.grid")}</TableCell>
                <TableCell>{translate("app.duties.task.assignees")}</TableCell>
                <TableCell>{translate("app.duties.task.status")}</TableCell>
                <TableCell>{translate("app.duties.task.done_by")}</TableCell>
                <TableCell>{translate("app.duties.task.data")}</TableCell>
                <TableCell>{translate("app.duties.photos")}</TableCell>
                <TableCell />
              </TableRow>
            </TableHead>
            <TableBody>
              {units.map((u) => (
                <TableRow key={u.unitId} data-testid={`task-unit-${u.unitCode}`} data-status={u.status}>
                  <TableCell>
                    <UnitName id={u.unitId} />
                  </TableCell>
                  <TableCell>
                    {u.assignees.length
                      ? u.assignees.map((a, i) => (
                          <span key={a}>
                            {i ? "、" : ""}
                            <UserName id={a} />
                          </span>
                        ))
                      : "—"}
                  </TableCell>
                  <TableCell>
                    <Chip size="small" color={u.status === "done" ? "success" : u.late ? "error" : "default"} label={translate(`app.duties.task.unit_status.${u.status}`)} />
                  </TableCell>
                  <TableCell>
                    {u.completedBy ? (
                      <>
                        <UserName id={u.completedBy.id} fallback={u.completedBy.name} />
                        <br />
                        <Typography variant="caption">{fmt.dateTime(u.completedAt)}</Typography>
                      </>
                    ) : (
                      "—"
                    )}
                  </TableCell>
                  <TableCell>
                    {u.data && Object.keys(u.data).length ? Object.entries(u.data).map(([k, v]) => <div key={k}>{`${labelOf(k)}：${typeof v === "boolean" ? translate(`ra.boolean.${v}`) : String(v)}`}</div>) : null}
                    {u.note ? <div>{u.note}</div> : null}
                    {!u.note && !(u.data && Object.keys(u.data).length) ? "—" : null}
                  </TableCell>
                  <TableCell>
                    <EvidencePhotos base={`/v1/tasks/${encodeURIComponent(String(r.id))}/units/${encodeURIComponent(u.unitId)}`} photos={u.photos} />
                  </TableCell>
                  <TableCell>
                    {r.state === "active" && u.status === "pending" && permissions?.includes("registry:write") && mayComplete(u) && (
                      <Button size="small" variant="outlined" onClick={() => setCompleting(u)} data-testid={`task-complete-${u.unitCode}`}>
                        {translate("app.duties.task.complete")}
                      </Button>
                    )}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </CardContent>
      <CompleteDialog taskId={String(r.id)} typeId={r.typeId} unit={completing} onClose={() => setCompleting(undefined)} />
    </Card>
  );
};

const RequestedBy = (_: { label?: string }) => {
  const r = useRecordContext();
  return <UserName id={r?.requestedBy?.id} fallback={r?.requestedBy?.name} />;
};
const TargetUnits = (_: { label?: string }) => {
  const r = useRecordContext();
  const ids: string[] = r?.targetUnitIds ?? [];
  return (
    <Box sx={{ display: "flex", gap: 0.5, flexWrap: "wrap" }}>
      {ids.map((id) => (
        <Chip key={id} size="small" variant="outlined" label={<UnitName id={id} />} />
      ))}
    </Box>
  );
};

export function TaskShow() {
  return (
    <Show
      actions={
        <TopToolbar>
          <DecisionButtons />
        </TopToolbar>
      }
    >
      <Box sx={{ display: "grid", gap: 2, p: 2 }} data-testid="task-page">
        <SimpleShowLayout sx={{ p: 0 }}>
          <TextField source="title" data-user-text />
          <TextField source="typeName" />
          <TextField source="description" emptyText="—" />
          <Labeled source="state">
            <TaskStateChip />
          </Labeled>
          <Labeled source="progress">
            <ProgressField />
          </Labeled>
          <Labeled source="departmentId">
            <DepartmentField source="departmentId" />
          </Labeled>
          <Labeled source="requestedBy">
            <RequestedBy />
          </Labeled>
          <Labeled source="targetUnitIds">
            <TargetUnits />
          </Labeled>
          <Labeled source="dueAt">
            <DueField />
          </Labeled>
          <TextField source="refusedReason" emptyText="—" />
        </SimpleShowLayout>
        <UnitsTable />
      </Box>
    </Show>
  );
}

export { EnumField };
