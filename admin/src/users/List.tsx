import { DataTable, List, SearchInput, SelectInput, TextField } from "react-admin";
import { roleChoices } from "../common/choices.ts";
import { UnitReferenceInput } from "../units/options.tsx";
import { ActiveField, Col } from "../common/fields.tsx";
import { ListPagination } from "../common/ListPagination.tsx";
import { ExcelListActions } from "../excel/ExcelActions.tsx";
import { RolesField } from "./RolesField.tsx";

const filters = [
  <SearchInput key="q" source="q" alwaysOn />,
  <SelectInput key="role" source="role" label="resources.users.fields.role" choices={roleChoices} />,
  <UnitReferenceInput key="unitId" source="unitId" label="resources.users.fields.unitId" fullWidth={false} />,
];

export default function UserList() {
  return (
    <List filters={filters} exporter={false} perPage={50} pagination={<ListPagination />} actions={<ExcelListActions list="staff" />}>
      <DataTable rowClick="show" bulkActionButtons={false} data-testid="users-table">
        <Col source="username">
          {/* a login name is what the administrator typed: data, not the interface */}
          <TextField source="username" data-user-text />
        </Col>
        <Col source="displayName" field={TextField} />
        <Col source="phone" field={TextField} />
        <Col source="assignments">
          <RolesField />
        </Col>
        <Col source="active">
          <ActiveField />
        </Col>
      </DataTable>
    </List>
  );
}
