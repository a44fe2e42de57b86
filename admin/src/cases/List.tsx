/** Cases, list only for now: the case pages come with the case API. */
import { AutocompleteInput, DataTable, List, ReferenceField, ReferenceInput, SelectInput, FunctionField } from "react-admin";
import { caseStateChoices } from "../common/choices.ts";
import { Col, DateTimeField, EnumField } from "../common/fields.tsx";
import { ListPagination } from "../common/ListPagination.tsx";
import { unitLabel, unitSearch } from "../units/options.tsx";

const filters = [
  <SelectInput key="state" source="state" choices={caseStateChoices} alwaysOn />,
  <ReferenceInput key="unitId" source="unitId" reference="units" alwaysOn>
    <AutocompleteInput optionText={unitLabel} filterToQuery={unitSearch} />
  </ReferenceInput>,
  <ReferenceInput key="categoryId" source="categoryId" reference="categories" perPage={200}>
    <SelectInput optionText="name" />
  </ReferenceInput>,
];

export default function CaseList() {
  return (
    <List filters={filters} exporter={false} perPage={50} pagination={<ListPagination />}>
      <DataTable rowClick={false} bulkActionButtons={false} data-testid="cases-table">
        <Col source="number" render={(r) => r.number ?? r.id} />
        <Col source="categoryId">
          <ReferenceField source="categoryId" reference="categories" link={false} emptyText="—" />
        </Col>
        <Col source="state">
          <EnumField source="state" prefix="app.case_states" />
        </Col>
        <Col source="unitId">
          <ReferenceField source="unitId" reference="units" link="show" emptyText="—">
            <FunctionField render={unitLabel} />
          </ReferenceField>
        </Col>
        <Col source="dueAt">
          <DateTimeField source="dueAt" />
        </Col>
        <Col source="createdAt">
          <DateTimeField source="createdAt" />
        </Col>
      </DataTable>
    </List>
  );
}
