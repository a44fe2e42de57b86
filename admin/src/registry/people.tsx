/** People (人口): list within the caller's units, page with reveal, create and edit with inline ID checks. */
import {
  AutocompleteInput,
  CheckboxGroupInput,
  Create,
  CreateButton,
  DataTable,
  Edit,
  EditButton,
  FormDataConsumer,
  Labeled,
  List,
  ReferenceField,
  ReferenceInput,
  SearchInput,
  SelectInput,
  Show,
  SimpleForm,
  SimpleShowLayout,
  TextField,
  TextInput,
  TopToolbar,
  maxLength,
  required,
  type Validator,
} from "react-admin";
import { ExcelActions } from "../excel/ExcelActions.tsx";
import { Box } from "@mui/material";
import { choicesOf } from "../common/choices.ts";
import { Col, DateTimeField, EnumField } from "../common/fields.tsx";
import { ListPagination } from "../common/ListPagination.tsx";
import { SaveToolbar } from "../common/SaveToolbar.tsx";
import { UnitReferenceInput } from "../units/options.tsx";
import { IdNumberHint, MaskedField, TagChips } from "./fields.tsx";
import { PERSON_TAGS, validateIdNumber, validatePhoneNumber } from "./model.ts";
import { UnitField } from "./names.tsx";
import { RevealButton } from "./RevealDialog.tsx";
import { SearchButton } from "./SearchDialog.tsx";

const tagChoices = choicesOf("app.registry.tags", PERSON_TAGS);

const filters = [
  <SearchInput key="q" source="q" alwaysOn />,
  <UnitReferenceInput key="unitId" source="unitId" label="resources.people.fields.unitId" fullWidth={false} />,
  <SelectInput key="tag" source="tag" choices={tagChoices} />,
];

const ListActions = () => (
  <TopToolbar>
    <SearchButton />
    <CreateButton />
    <ExcelActions list="people" />
  </TopToolbar>
);

export function PersonList() {
  return (
    <List filters={filters} actions={<ListActions />} empty={false} exporter={false} perPage={50} pagination={<ListPagination />}>
      <DataTable rowClick="show" bulkActionButtons={false} data-testid="people-table">
        <Col source="name" field={TextField} />
        <Col source="idNumber">
          <MaskedField source="idNumber" />
        </Col>
        <Col source="gender">
          <EnumField source="gender" prefix="app.registry.genders" />
        </Col>
        <Col source="birthYear" field={TextField} />
        <Col source="unitId">
          <UnitField />
        </Col>
        <Col source="tags">
          <TagChips />
        </Col>
      </DataTable>
    </List>
  );
}

/** On edit the masked value stands for the stored one: it passes the checks and is not sent. */
const masked = (v: unknown) => typeof v === "string" && v.includes("*");
const unlessMasked =
  (check: Validator): Validator =>
  (v, values, props) =>
    masked(v) ? undefined : check(v, values, props);

const householdLabel = (r?: Record<string, any>) => (r ? String(r.address ?? r.id) : "");

const PersonInputs = ({ edit }: { edit?: boolean }) => (
  <>
    <Box sx={{ display: "flex", gap: 2, flexWrap: "wrap", alignItems: "flex-start" }}>
      <TextInput source="name" validate={[required(), maxLength(64)]} />
      <Box>
        <TextInput source="idNumber" validate={[required(), unlessMasked(validateIdNumber)]} helperText={edit ? "app.registry.masked_help" : "app.registry.id_help"} autoComplete="off" />
        <FormDataConsumer>{({ formData }) => (masked(formData.idNumber) ? null : <IdNumberHint value={formData.idNumber} />)}</FormDataConsumer>
      </Box>
      <TextInput source="phone" validate={unlessMasked(validatePhoneNumber)} helperText="app.registry.phone_help" autoComplete="off" />
    </Box>
    <ReferenceInput source="householdId" reference="households">
      <AutocompleteInput optionText={householdLabel} filterToQuery={(q: string) => (q?.trim() ? { q: q.trim() } : {})} helperText="app.registry.household_help" />
    </ReferenceInput>
    <FormDataConsumer>{({ formData }) => (formData.householdId ? null : <UnitReferenceInput source="unitId" label="resources.people.fields.unitId" validate={required()} />)}</FormDataConsumer>
    <CheckboxGroupInput source="tags" choices={tagChoices} />
    <TextInput source="notes" multiline fullWidth validate={maxLength(2000)} />
  </>
);

const dropMasked = (data: Record<string, unknown>) => {
  const out = { ...data };
  for (const k of ["idNumber", "phone", "birthDate"]) if (masked(out[k])) delete out[k];
  // the household decides the unit
  if (out.householdId) delete out.unitId;
  return out;
};

export function PersonCreate() {
  return (
    <Create redirect="show" transform={dropMasked}>
      <SimpleForm mode="onTouched" toolbar={<SaveToolbar />} defaultValues={{ tags: [] }}>
        <PersonInputs />
      </SimpleForm>
    </Create>
  );
}

export function PersonEdit() {
  return (
    <Edit mutationMode="pessimistic" transform={dropMasked} redirect="show">
      <SimpleForm mode="onTouched" toolbar={<SaveToolbar />}>
        <PersonInputs edit />
      </SimpleForm>
    </Edit>
  );
}

const ShowActions = () => (
  <TopToolbar>
    <RevealButton resource="people" />
    <EditButton />
  </TopToolbar>
);

export function PersonShow() {
  return (
    <Show actions={<ShowActions />}>
      <SimpleShowLayout data-testid="person-page">
        <TextField source="name" />
        <MaskedField source="idNumber" />
        <MaskedField source="phone" />
        <MaskedField source="birthDate" />
        <EnumField source="gender" prefix="app.registry.genders" />
        <Labeled source="unitId">
          <UnitField full />
        </Labeled>
        <ReferenceField source="householdId" reference="households" link="show" emptyText="—">
          <TextField source="address" />
        </ReferenceField>
        <TagChips />
        <TextField source="notes" emptyText="—" />
        <DateTimeField source="updatedAt" />
      </SimpleShowLayout>
    </Show>
  );
}
