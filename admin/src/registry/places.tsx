/** Places (场所): list within the caller's units, page with reveal, create and edit. */
import {
  Create,
  CreateButton,
  DataTable,
  Edit,
  EditButton,
  Labeled,
  List,
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
import { Box } from "@mui/material";
import { choicesOf } from "../common/choices.ts";
import { Col, DateTimeField, EnumField } from "../common/fields.tsx";
import { ListPagination } from "../common/ListPagination.tsx";
import { SaveToolbar } from "../common/SaveToolbar.tsx";
import { UnitReferenceInput } from "../units/options.tsx";
import { MaskedField } from "./fields.tsx";
import { PLACE_KINDS, validatePhoneNumber } from "./model.ts";
import { UnitField } from "./names.tsx";
import { RevealButton } from "./RevealDialog.tsx";
import { SearchButton } from "./SearchDialog.tsx";

const kindChoices = choicesOf("app.registry.place_kinds", PLACE_KINDS);

const filters = [
  <SearchInput key="q" source="q" alwaysOn />,
  <UnitReferenceInput key="unitId" source="unitId" label="resources.places.fields.unitId" fullWidth={false} />,
  <SelectInput key="kind" source="kind" choices={kindChoices} />,
];

const ListActions = () => (
  <TopToolbar>
    <SearchButton />
    <CreateButton />
  </TopToolbar>
);

export function PlaceList() {
  return (
    <List filters={filters} actions={<ListActions />} exporter={false} perPage={50} pagination={<ListPagination />}>
      <DataTable rowClick="show" bulkActionButtons={false} data-testid="places-table">
        <Col source="name" field={TextField} />
        <Col source="kind">
          <EnumField source="kind" prefix="app.registry.place_kinds" />
        </Col>
        <Col source="address" field={TextField} />
        <Col source="unitId">
          <UnitField />
        </Col>
        <Col source="ownerName" field={TextField} />
        <Col source="ownerPhone">
          <MaskedField source="ownerPhone" />
        </Col>
      </DataTable>
    </List>
  );
}

const masked = (v: unknown) => typeof v === "string" && v.includes("*");
const phone: Validator = (v, values, props) => (masked(v) ? undefined : validatePhoneNumber(v));

const PlaceInputs = () => (
  <>
    <UnitReferenceInput source="unitId" label="resources.places.fields.unitId" validate={required()} />
    <Box sx={{ display: "flex", gap: 2, flexWrap: "wrap" }}>
      <TextInput source="name" validate={[required(), maxLength(100)]} />
      <SelectInput source="kind" choices={kindChoices} validate={required()} />
      <TextInput source="licenseNo" validate={maxLength(40)} />
    </Box>
    <TextInput source="address" validate={[required(), maxLength(200)]} fullWidth />
    <Box sx={{ display: "flex", gap: 2, flexWrap: "wrap" }}>
      <TextInput source="ownerName" validate={[required(), maxLength(64)]} />
      <TextInput source="ownerPhone" validate={[required(), phone]} helperText="app.registry.phone_help" />
    </Box>
    <TextInput source="notes" multiline fullWidth validate={maxLength(2000)} />
  </>
);

const dropMasked = (data: Record<string, unknown>) => {
  const out = { ...data };
  if (masked(out.ownerPhone)) delete out.ownerPhone;
  return out;
};

export function PlaceCreate() {
  return (
    <Create redirect="show">
      <SimpleForm mode="onTouched" toolbar={<SaveToolbar />}>
        <PlaceInputs />
      </SimpleForm>
    </Create>
  );
}

export function PlaceEdit() {
  return (
    <Edit mutationMode="pessimistic" transform={dropMasked} redirect="show">
      <SimpleForm mode="onTouched" toolbar={<SaveToolbar />}>
        <PlaceInputs />
      </SimpleForm>
    </Edit>
  );
}

const ShowActions = () => (
  <TopToolbar>
    <RevealButton resource="places" />
    <EditButton />
  </TopToolbar>
);

export function PlaceShow() {
  return (
    <Show actions={<ShowActions />}>
      <SimpleShowLayout data-testid="place-page">
        <TextField source="name" />
        <EnumField source="kind" prefix="app.registry.place_kinds" />
        <TextField source="address" />
        <Labeled source="unitId">
          <UnitField full />
        </Labeled>
        <TextField source="ownerName" />
        <MaskedField source="ownerPhone" />
        <TextField source="licenseNo" emptyText="—" />
        <TextField source="notes" emptyText="—" />
        <DateTimeField source="updatedAt" />
      </SimpleShowLayout>
    </Show>
  );
}
