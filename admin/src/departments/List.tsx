import { DataTable, List, SearchInput, SelectInput, TextField } from "react-admin";
import { activeChoices } from "../common/choices.ts";
import { UnitReferenceInput } from "../units/options.tsx";
import { ActiveField, Col } from "../common/fields.tsx";
import { ListPagination } from "../common/ListPagination.tsx";
import { ExcelListActions } from "../excel/ExcelActions.tsx";

const filters = [
  <SearchInput key="q" source="q" alwaysOn />,
  <UnitReferenceInput key="unitId" source="unitId" label="app.departments.units_served" fullWidth={false} />,
  <SelectInput key="active" source="active" choices={activeChoices} />,
];

export default function DepartmentList() {
  return (
    <List filters={filters} exporter={false} perPage={50} pagination={<ListPagination />} actions={<ExcelListActions list="departments" />}>
      <DataTable rowClick="show" bulkActionButtons={false} data-testid="departments-table">
        <Col source="name">
          <TextField source="name" data-user-text />
        </Col>
        <Col source="code">
          {/* codes are what the county typed (e.g. CGJ for 城管局): data, not the interface */}
          <TextField source="code" data-user-text />
        </Col>
        <Col source="contact.name" field={TextField} />
        <Col source="contact.phone" field={TextField} />
        <Col source="unitIds" align="right" render={(r) => (Array.isArray(r.unitIds) ? r.unitIds.length : 0)} />
        <Col source="active">
          <ActiveField />
        </Col>
      </DataTable>
    </List>
  );
}
