import { DataTable, FunctionField, List, NumberField, ReferenceField, TextField } from "react-admin";
import { Col, DateTimeField, EnumChips } from "../common/fields.tsx";
import { ListPagination } from "../common/ListPagination.tsx";
import { unitLabel } from "../units/options.tsx";
import { ApiKeyStatusField } from "./StatusField.tsx";

export default function ApiKeyList() {
  return (
    <List exporter={false} perPage={50} pagination={<ListPagination />}>
      <DataTable rowClick="show" bulkActionButtons={false} data-testid="api-keys-table">
        <Col source="name">
          <TextField source="name" data-user-text />
        </Col>
        <Col source="permissions" align="right" render={(r) => (Array.isArray(r.permissions) ? r.permissions.length : 0)} />
        <Col source="channels">
          <EnumChips source="channels" prefix="app.cases.channels" />
        </Col>
        <Col source="unitId">
          <ReferenceField source="unitId" reference="units" link="show" emptyText="—">
            <FunctionField render={unitLabel} />
          </ReferenceField>
        </Col>
        <Col source="rateLimitPerMinute" align="right">
          <NumberField source="rateLimitPerMinute" />
        </Col>
        <Col source="createdAt">
          <DateTimeField source="createdAt" />
        </Col>
        <Col source="lastUsedAt">
          <DateTimeField source="lastUsedAt" />
        </Col>
        <Col source="status">
          <ApiKeyStatusField />
        </Col>
      </DataTable>
    </List>
  );
}
