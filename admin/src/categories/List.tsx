import { BooleanField, DataTable, List, ReferenceField, ReferenceInput, SearchInput, SelectInput, TextField } from "react-admin";
import { activeChoices } from "../common/choices.ts";
import { ActiveField, Col } from "../common/fields.tsx";
import { ListPagination } from "../common/ListPagination.tsx";
import { ExcelListActions } from "../excel/ExcelActions.tsx";

const filters = [
  <SearchInput key="q" source="q" alwaysOn />,
  <ReferenceInput key="parentId" source="parentId" reference="categories" filter={{ parentId: "root" }} perPage={200}>
    <SelectInput optionText="name" />
  </ReferenceInput>,
  <SelectInput key="active" source="active" choices={activeChoices} />,
];

export default function CategoryList() {
  return (
    <List filters={filters} exporter={false} perPage={100} pagination={<ListPagination />} actions={<ExcelListActions list="categories" />}>
      <DataTable rowClick="show" bulkActionButtons={false} data-testid="categories-table">
        <Col source="code">
          {/* codes are what the county typed (e.g. CGJ for 城管局): data, not the interface */}
          <TextField source="code" data-user-text />
        </Col>
        <Col source="name" field={TextField} />
        <Col source="parentId">
          <ReferenceField source="parentId" reference="categories" link="show" emptyText="—" />
        </Col>
        <Col source="departmentIds" align="right" render={(r) => (Array.isArray(r.departmentIds) ? r.departmentIds.length : 0)} />
        <Col source="isDispute" field={BooleanField} />
        <Col source="police" field={BooleanField} />
        <Col source="urgent" field={BooleanField} />
        <Col source="active">
          <ActiveField />
        </Col>
      </DataTable>
    </List>
  );
}
