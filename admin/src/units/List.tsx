import UploadFileIcon from "@mui/icons-material/UploadFile";
import {
  AutocompleteInput,
  Button,
  CreateButton,
  DataTable,
  FilterButton,
  FunctionField,
  Link,
  List,
  NumberField,
  ReferenceField,
  ReferenceInput,
  SearchInput,
  SelectInput,
  TextField,
  TopToolbar,
  useCanAccess,
} from "react-admin";
import { ExcelActions } from "../excel/ExcelActions.tsx";
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

const ImportButton = () => {
  const { canAccess } = useCanAccess({ resource: "units", action: "import" });
  if (!canAccess) return null;
  return (
    <Button component={Link} to="/units/import" label="app.import.title" data-testid="units-import">
      <UploadFileIcon />
    </Button>
  );
};

const UnitListActions = () => (
  <TopToolbar>
    <FilterButton />
    <CreateButton />
    <ImportButton />
    <ExcelActions list="units" />
  </TopToolbar>
);

export default function UnitList() {
  return (
    <List filters={filters} actions={<UnitListActions />} exporter={false} perPage={50} pagination={<ListPagination />}>
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
