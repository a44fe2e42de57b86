/** Households (户): list within the caller's units, page with members and visits, create and edit. */
import {
  ArrayInput,
  Create,
  CreateButton,
  DataTable,
  Edit,
  EditButton,
  NumberField,
  NumberInput,
  ReferenceManyField,
  SearchInput,
  SelectInput,
  Show,
  SimpleForm,
  SimpleFormIterator,
  SimpleShowLayout,
  TextField,
  TextInput,
  TopToolbar,
  List,
  maxLength,
  minValue,
  maxValue,
  required,
  useRecordContext,
  Labeled,
} from "react-admin";
import { ExcelActions } from "../excel/ExcelActions.tsx";
import { Box, Grid } from "@mui/material";
import { choicesOf } from "../common/choices.ts";
import { Col, DateTimeField, EnumField } from "../common/fields.tsx";
import { ListPagination } from "../common/ListPagination.tsx";
import { SaveToolbar } from "../common/SaveToolbar.tsx";
import { UnitReferenceInput } from "../units/options.tsx";
import { MaskedField, phoneValidators, TagChips } from "./fields.tsx";
import { HOUSEHOLD_CLASSES } from "./model.ts";
import { UnitField } from "./names.tsx";
import { RevealButton } from "./RevealDialog.tsx";
import { SearchButton } from "./SearchDialog.tsx";
import { HouseholdVisits } from "../duties/Visits.tsx";

const classChoices = choicesOf("app.registry.classes", HOUSEHOLD_CLASSES);

const filters = [
  <SearchInput key="q" source="q" alwaysOn />,
  <UnitReferenceInput key="unitId" source="unitId" label="resources.households.fields.unitId" fullWidth={false} />,
  <SelectInput key="class" source="class" choices={classChoices} />,
];

const ListActions = () => (
  <TopToolbar>
    <SearchButton />
    <CreateButton />
    <ExcelActions list="households" />
  </TopToolbar>
);

export function HouseholdList() {
  return (
    <List filters={filters} actions={<ListActions />} empty={false} exporter={false} perPage={50} pagination={<ListPagination />}>
      <DataTable rowClick="show" bulkActionButtons={false} data-testid="households-table">
        <Col source="address" field={TextField} />
        <Col source="unitId">
          <UnitField />
        </Col>
        <Col source="class">
          <EnumField source="class" prefix="app.registry.classes" />
        </Col>
        <Col source="membersCount" field={NumberField} />
        <Col source="contactName" field={TextField} />
        <Col source="contactPhone">
          <MaskedField source="contactPhone" />
        </Col>
      </DataTable>
    </List>
  );
}

const HouseholdInputs = () => (
  <>
    <UnitReferenceInput source="unitId" label="resources.households.fields.unitId" validate={required()} />
    <TextInput source="address" validate={[required(), maxLength(200)]} fullWidth />
    <Box sx={{ display: "flex", gap: 2, flexWrap: "wrap" }}>
      <NumberInput source="membersCount" validate={[required(), minValue(0), maxValue(99)]} />
      <SelectInput source="class" choices={classChoices} validate={required()} />
      <TextInput source="contactName" validate={maxLength(64)} />
      <TextInput source="contactPhone" validate={phoneValidators} helperText="app.registry.phone_help" />
    </Box>
    <ArrayInput source="needs">
      <SimpleFormIterator inline disableReordering>
        <TextInput source="" label="resources.households.fields.needs" validate={[required(), maxLength(100)]} />
      </SimpleFormIterator>
    </ArrayInput>
    <TextInput source="notes" multiline fullWidth validate={maxLength(2000)} />
  </>
);

export function HouseholdCreate() {
  return (
    <Create redirect="show">
      <SimpleForm mode="onTouched" toolbar={<SaveToolbar />} defaultValues={{ class: "general", membersCount: 1, needs: [] }}>
        <HouseholdInputs />
      </SimpleForm>
    </Create>
  );
}

/** Editing never shows the sealed phone: leaving the masked value as it is keeps the stored one. */
const keepMasked = (data: Record<string, unknown>) => {
  const out = { ...data };
  if (typeof out.contactPhone === "string" && out.contactPhone.includes("*")) delete out.contactPhone;
  return out;
};

export function HouseholdEdit() {
  return (
    <Edit mutationMode="pessimistic" transform={keepMasked} redirect="show">
      <SimpleForm mode="onTouched" toolbar={<SaveToolbar />}>
        <HouseholdInputs />
      </SimpleForm>
    </Edit>
  );
}

const AddMemberButton = () => {
  const record = useRecordContext();
  if (!record) return null;
  return <CreateButton resource="people" state={{ record: { householdId: record.id, unitId: record.unitId } }} label="app.registry.add_member" data-testid="household-add-member" />;
};

const ShowActions = () => (
  <TopToolbar>
    <RevealButton resource="households" />
    <AddMemberButton />
    <EditButton />
  </TopToolbar>
);

export function HouseholdShow() {
  return (
    <Show actions={<ShowActions />}>
      <Grid container spacing={2} sx={{ p: 2 }} data-testid="household-page">
        <Grid size={{ xs: 12, md: 6 }}>
          <SimpleShowLayout sx={{ p: 0 }}>
            <TextField source="address" />
            <Labeled source="unitId">
              <UnitField full />
            </Labeled>
            <EnumField source="class" prefix="app.registry.classes" />
            <NumberField source="membersCount" />
            <TextField source="contactName" emptyText="—" />
            <MaskedField source="contactPhone" />
            <TagChips source="needs" />
            <TextField source="notes" emptyText="—" />
            <DateTimeField source="updatedAt" />
          </SimpleShowLayout>
        </Grid>
        <Grid size={{ xs: 12, md: 6 }}>
          <Labeled label="app.registry.members">
            <ReferenceManyField reference="people" target="householdId" perPage={50}>
              <DataTable rowClick="show" bulkActionButtons={false} data-testid="household-members">
                <Col source="name" field={TextField} />
                <Col source="idNumber">
                  <MaskedField source="idNumber" />
                </Col>
                <Col source="tags">
                  <TagChips />
                </Col>
              </DataTable>
            </ReferenceManyField>
          </Labeled>
        </Grid>
        <Grid size={12}>
          <HouseholdVisits />
        </Grid>
      </Grid>
    </Show>
  );
}
