import { AutocompleteInput, DataTable, FunctionField, List, NumberField, ReferenceField, ReferenceInput, SearchInput, SelectInput, TextField } from "react-admin";
import { activeChoices } from "../common/choices.ts";
import { ActiveField, Col, EnumField } from "../common/fields.tsx";
import { ListPagination } from "../common/ListPagination.tsx";
import { unitLabel, unitSearch } from "./options.tsx";
import { LevelField } from "./LevelField.tsx";

const filters = [
  <SearchInput key="q" source="q" alwaysOn />,
  <ReferenceInput key="parentId" source="parentId" reference="units">
    <AutocompleteInput optionText={unitLabel} filterToQuery={unitSearch} />
  </ReferenceInput>,
  <SelectInput key="active" source="active" choices={activeChoices} />,
];

export default function UnitList() {
  return (
    <List filters={filters} exporter={false} perPage={50} pagination={<ListPagination />}>
      <DataTable rowClick="show" bulkActionButtons={false} data-testid="units-table">
        <Col source="name" field={TextField} />
        <Col source="code" field={TextField} />
        <Col source="level">
          <LevelField />
        </Col>
        <Col source="type">
          <EnumField source="type" prefix="app.unit_types" />
        </Col>
        <Col source="parentId">
          <ReferenceField source="parentId" reference="units" link="show" emptyText="—">
            <FunctionField render={unitLabel} />
          </ReferenceField>
        </Col>
        <Col source="households" align="right">
          <NumberField source="households" emptyText="—" />
        </Col>
        <Col source="population" align="right">
          <NumberField source="population" emptyText="—" />
        </Col>
        <Col source="active">
          <ActiveField />
        </Col>
      </DataTable>
    </List>
  );
}
