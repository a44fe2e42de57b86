/** Key lists (重点人群 / 重点场所 / 重点事项): entries with tags, reason, period and the person responsible. */
import {
  AutocompleteArrayInput,
  AutocompleteInput,
  Create,
  CreateButton,
  DataTable,
  DateInput,
  Edit,
  EditButton,
  FormDataConsumer,
  Labeled,
  List,
  ReferenceField,
  ReferenceInput,
  SelectInput,
  Show,
  SimpleForm,
  SimpleShowLayout,
  TextField,
  TextInput,
  TopToolbar,
  maxLength,
  required,
  useListContext,
  useRecordContext,
} from "react-admin";
import { Box, Tab, Tabs } from "@mui/material";
import { useTranslate } from "react-admin";
import { choicesOf } from "../common/choices.ts";
import { Col, DateTimeField, EnumField } from "../common/fields.tsx";
import { ListPagination } from "../common/ListPagination.tsx";
import { SaveToolbar } from "../common/SaveToolbar.tsx";
import { UnitReferenceInput } from "../units/options.tsx";
import { TagChips } from "./fields.tsx";
import { KEY_LISTS, PERSON_TAGS } from "./model.ts";
import { UnitField, UserField } from "./names.tsx";

const listChoices = choicesOf("app.registry.key_lists", KEY_LISTS);
const statusChoices = choicesOf("app.registry.key_status", ["active", "closed"]);
/** Suggested tags: the people tags, translated; free tags may be typed too. */
const tagSuggestions = choicesOf("app.registry.tags", PERSON_TAGS);

/** The three lists as tabs over the `list` filter. */
const ListTabs = () => {
  const { filterValues, setFilters, displayedFilters } = useListContext();
  const translate = useTranslate();
  const current = (filterValues.list as string) ?? "people";
  return (
    <Tabs value={current} onChange={(_, v) => setFilters({ ...filterValues, list: v }, displayedFilters)} sx={{ px: 2 }}>
      {KEY_LISTS.map((l) => (
        <Tab key={l} value={l} label={translate(`app.registry.key_lists.${l}`)} data-testid={`keylist-tab-${l}`} />
      ))}
    </Tabs>
  );
};

const filters = [
  <UnitReferenceInput key="unitId" source="unitId" label="resources.key-lists.fields.unitId" fullWidth={false} />,
  <SelectInput key="status" source="status" choices={statusChoices} />,
];

export function KeyListList() {
  return (
    <List filters={filters} filterDefaultValues={{ list: "people", status: "active" }} exporter={false} perPage={50} pagination={<ListPagination />}>
      <ListTabs />
      <DataTable rowClick="show" bulkActionButtons={false} data-testid="keylists-table">
        <Col source="title" field={TextField} />
        <Col source="tags">
          <TagChips />
        </Col>
        <Col source="reason" field={TextField} />
        <Col source="unitId">
          <UnitField />
        </Col>
        <Col source="responsibleUserId">
          <UserField source="responsibleUserId" />
        </Col>
        <Col source="startDate" field={TextField} />
        <Col source="status">
          <EnumField source="status" prefix="app.registry.key_status" />
        </Col>
      </DataTable>
    </List>
  );
}

const subjectLabel = (r?: Record<string, any>) => (r ? String(r.name ?? r.id) : "");
const search = (q: string) => (q?.trim() ? { q: q.trim() } : {});

const EntryInputs = ({ create }: { create?: boolean }) => (
  <>
    {create && <SelectInput source="list" choices={listChoices} validate={required()} />}
    {create && (
      <FormDataConsumer>
        {({ formData }) =>
          formData.list === "people" || formData.list === "places" ? (
            <ReferenceInput source="subjectId" reference={formData.list}>
              <AutocompleteInput optionText={subjectLabel} filterToQuery={search} validate={required()} label="resources.key-lists.fields.subjectId" />
            </ReferenceInput>
          ) : (
            <UnitReferenceInput source="unitId" label="resources.key-lists.fields.unitId" validate={required()} />
          )
        }
      </FormDataConsumer>
    )}
    <TextInput source="title" validate={maxLength(100)} helperText={create ? "app.registry.title_help" : undefined} />
    <TextInput source="reason" validate={[required(), maxLength(500)]} fullWidth multiline />
    <AutocompleteArrayInput source="tags" choices={tagSuggestions} onCreate={(t?: string) => ({ id: t ?? "", name: t ?? "" })} createItemLabel="app.registry.add_tag" />
    <Box sx={{ display: "flex", gap: 2, flexWrap: "wrap" }}>
      <DateInput source="startDate" validate={required()} />
      <DateInput source="endDate" />
      {!create && <SelectInput source="status" choices={statusChoices} validate={required()} />}
    </Box>
    <ReferenceInput source="responsibleUserId" reference="users">
      <AutocompleteInput optionText="displayName" filterToQuery={search} validate={required()} label="resources.key-lists.fields.responsibleUserId" />
    </ReferenceInput>
    <TextInput source="notes" multiline fullWidth validate={maxLength(2000)} />
  </>
);

const today = () => new Date().toLocaleDateString("sv-SE", { timeZone: "Asia/Shanghai" });

export function KeyListCreate() {
  return (
    <Create redirect="list">
      <SimpleForm toolbar={<SaveToolbar />} defaultValues={{ list: "people", tags: [], startDate: today() }}>
        <EntryInputs create />
      </SimpleForm>
    </Create>
  );
}

export function KeyListEdit() {
  return (
    <Edit mutationMode="pessimistic" redirect="show">
      <SimpleForm toolbar={<SaveToolbar />}>
        <EntryInputs />
      </SimpleForm>
    </Edit>
  );
}

export function KeyListShow() {
  return (
    <Show
      actions={
        <TopToolbar>
          <EditButton />
        </TopToolbar>
      }
    >
      <SimpleShowLayout>
        <EnumField source="list" prefix="app.registry.key_lists" />
        <TextField source="title" />
        <FormDataLessSubject />
        <Labeled source="unitId">
          <UnitField full />
        </Labeled>
        <TextField source="reason" />
        <TagChips />
        <TextField source="startDate" />
        <TextField source="endDate" emptyText="—" />
        <Labeled source="responsibleUserId">
          <UserField source="responsibleUserId" />
        </Labeled>
        <EnumField source="status" prefix="app.registry.key_status" />
        <TextField source="notes" emptyText="—" />
        <DateTimeField source="updatedAt" />
      </SimpleShowLayout>
    </Show>
  );
}

/** The person or place the entry is about, linked. */
const FormDataLessSubject = (_: { label?: string }) => {
  const record = useRecordContext();
  if (!record?.subjectId) return null;
  const reference = record.list === "places" ? "places" : "people";
  return (
    <Labeled source="subjectId">
      <ReferenceField source="subjectId" reference={reference} link="show" emptyText="—">
        <TextField source="name" />
      </ReferenceField>
    </Labeled>
  );
};

export const KeyListCreateButton = () => <CreateButton resource="key-lists" />;
