/** The audit trail: read-only, newest first, one month at a time (the API's partition). */
import { Table, TableBody, TableCell, TableHead, TableRow, Typography } from "@mui/material";
import { DataTable, List, SelectInput, TextField, TextInput, useRecordContext, useTranslate } from "react-admin";
import { Col, DateTimeField } from "../common/fields.tsx";
import { ListPagination } from "../common/ListPagination.tsx";

/** The last 24 county months (Asia/Shanghai: the API's `month`), newest first, as YYYY-MM (language-neutral). */
function monthChoices(now = new Date()) {
  const [y, m] = now.toLocaleDateString("sv-SE", { timeZone: "Asia/Shanghai" }).split("-").map(Number);
  return Array.from({ length: 24 }, (_, i) => {
    const id = new Date(Date.UTC(y, m - 1 - i, 1)).toISOString().slice(0, 7);
    return { id, name: id };
  });
}

const filters = [
  <SelectInput key="month" source="month" choices={monthChoices()} translateChoice={false} alwaysOn emptyText="—" />,
  <TextInput key="entity" source="entity" />,
  <TextInput key="entityId" source="entityId" />,
];

const stringify = (v: unknown): string => (v === null || v === undefined ? "—" : typeof v === "string" ? v : JSON.stringify(v));

/** The field-level changes of an entry. */
const ChangesPanel = () => {
  const record = useRecordContext();
  const translate = useTranslate();
  const changes = Object.entries((record?.changes ?? {}) as Record<string, { from: unknown; to: unknown }>);
  if (!changes.length) return <Typography variant="body2">{translate("app.audit.no_changes")}</Typography>;
  return (
    <Table size="small" data-testid="audit-changes">
      <TableHead>
        <TableRow>
          <TableCell>{translate("app.audit.field")}</TableCell>
          <TableCell>{translate("app.audit.from")}</TableCell>
          <TableCell>{translate("app.audit.to")}</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {changes.map(([field, c]) => (
          <TableRow key={field}>
            <TableCell>{field}</TableCell>
            <TableCell sx={{ fontFamily: "monospace", wordBreak: "break-all" }}>{stringify(c?.from)}</TableCell>
            <TableCell sx={{ fontFamily: "monospace", wordBreak: "break-all" }}>{stringify(c?.to)}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
};

const EntityField = (_props: { label?: string }) => {
  const record = useRecordContext();
  const translate = useTranslate();
  if (!record?.entity) return <>—</>;
  return <>{translate(`app.audit.entities.${record.entity}`, { _: String(record.entity) })}</>;
};

export default function AuditList() {
  return (
    <List filters={filters} exporter={false} perPage={50} pagination={<ListPagination />}>
      <DataTable bulkActionButtons={false} rowClick="expand" expand={<ChangesPanel />} data-testid="audit-table">
        <Col source="at">
          <DateTimeField source="at" />
        </Col>
        <Col source="actor" render={(r) => r.actor?.name ?? r.actor?.id ?? "—"} />
        <Col source="action" field={TextField} />
        <Col source="entity">
          <EntityField />
        </Col>
        <Col source="entityId" field={TextField} />
        <Col source="summary" field={TextField} />
      </DataTable>
    </List>
  );
}
