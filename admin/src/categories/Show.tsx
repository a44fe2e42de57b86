import { BooleanField, ChipField, ReferenceArrayField, ReferenceField, Show, SimpleShowLayout, SingleFieldList, TextField } from "react-admin";
import { ActiveField, DateTimeField } from "../common/fields.tsx";
import { DeadlinesField } from "./DeadlinesField.tsx";

export default function CategoryShow() {
  return (
    <Show>
      <SimpleShowLayout>
        <TextField source="code" data-user-text />
        <TextField source="name" />
        <ReferenceField source="parentId" reference="categories" link="show" emptyText="—" />
        <ReferenceArrayField source="departmentIds" reference="departments" emptyText="—">
          <SingleFieldList linkType="show">
            <ChipField source="name" size="small" />
          </SingleFieldList>
        </ReferenceArrayField>
        <BooleanField source="isDispute" emptyText="app.categories.inherited" />
        <BooleanField source="police" emptyText="app.categories.inherited" />
        <BooleanField source="urgent" emptyText="app.categories.inherited" />
        <BooleanField source="claimWindow" emptyText="app.categories.inherited" />
        <DeadlinesField label="resources.categories.fields.deadlines" />
        <ActiveField source="active" />
        <DateTimeField source="updatedAt" />
      </SimpleShowLayout>
    </Show>
  );
}
