/**
 * The audit trail in the user's language: translated action names, object types and summaries;
 * filters by actor, action, object and time applied in the API's query (core/audit/entry.ts
 * `auditPlan`), so a page is never empty while more entries exist. Newest first.
 */
import { Table, TableBody, TableCell, TableHead, TableRow, Typography } from "@mui/material";
import { AutocompleteInput, DataTable, DateTimeInput, List, ReferenceInput, SelectInput, TextInput, useRecordContext, useTranslate } from "react-admin";
import { Col, DateTimeField } from "../common/fields.tsx";
import { ListPagination } from "../common/ListPagination.tsx";
import { ActorName } from "../common/NameLabels.tsx";
import { AUDIT_ACTIONS, AUDIT_ENTITIES, actionLabel, entityLabel, summaryIsStored, summaryText, type AuditRecord } from "./model.ts";

/** `<input type="datetime-local">` value (local time) → ISO instant for the API. */
const toIso = (v: unknown) => (v ? new Date(String(v)).toISOString() : undefined);

const ActionChoices = (_props: { source: string; alwaysOn?: boolean }) => {
  const translate = useTranslate();
  return <SelectInput source="action" choices={AUDIT_ACTIONS.map((id) => ({ id, name: actionLabel(translate, id) }))} translateChoice={false} label="app.audit_log.action" />;
};
const EntityChoices = (_props: { source: string; alwaysOn?: boolean }) => {
  const translate = useTranslate();
  return <SelectInput source="entity" choices={AUDIT_ENTITIES.map((id) => ({ id, name: entityLabel(translate, id) }))} translateChoice={false} label="app.audit_log.entity" />;
};

const filters = [
  <ReferenceInput key="actor" source="actor" reference="users" alwaysOn>
    <AutocompleteInput label="app.audit_log.actor" optionText="displayName" filterToQuery={(q: string) => ({ q })} sx={{ minWidth: 200 }} />
  </ReferenceInput>,
  <ActionChoices key="action" source="action" alwaysOn />,
  <EntityChoices key="entity" source="entity" />,
  <TextInput key="entityId" source="entityId" label="app.audit_log.entity_id" />,
  <DateTimeInput key="from" source="from" label="app.audit_log.from" parse={toIso} />,
  <DateTimeInput key="to" source="to" label="app.audit_log.to" parse={toIso} />,
];

const stringify = (v: unknown): string => (v === null || v === undefined ? "—" : typeof v === "string" ? v : JSON.stringify(v));

/** The field-level changes of an entry. */
const ChangesPanel = () => {
  const record = useRecordContext();
  const translate = useTranslate();
  const changes = Object.entries((record?.changes ?? {}) as Record<string, { from: unknown; to: unknown }>);
  if (!changes.length) return <Typography variant="body2">{record?.reason ? `${translate("app.audit_log.reason")}: ${record.reason}` : translate("app.audit.no_changes")}</Typography>;
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

export default function AuditList() {
  const translate = useTranslate();
  return (
    <List filters={filters} exporter={false} perPage={50} pagination={<ListPagination />}>
      <DataTable bulkActionButtons={false} rowClick="expand" expand={<ChangesPanel />} data-testid="audit-table">
        <Col source="at">
          <DateTimeField source="at" />
        </Col>
        <Col source="actor" render={(r) => (r.actor ? <ActorName actor={r.actor} /> : "—")} />
        <Col source="action" render={(r) => <span data-testid="audit-action">{actionLabel(translate, r.action)}</span>} />
        <Col source="entity" render={(r) => entityLabel(translate, r.entity)} />
        <Col source="entityId" render={(r) => <Typography variant="caption" sx={{ fontFamily: "monospace" }} data-user-text>{r.entityId}</Typography>} />
        <Col
          source="summary"
          render={(r) => {
            const rec = r as unknown as AuditRecord;
            // the stored text names the record as typed (code and name): marked as such
            return summaryIsStored(rec) ? <span data-user-text>{summaryText(translate, rec)}</span> : summaryText(translate, rec);
          }}
        />
      </DataTable>
    </List>
  );
}
