import { FunctionField, NumberField, ReferenceField, Show, SimpleShowLayout, TextField, TopToolbar } from "react-admin";
import { DateTimeField, EnumChips } from "../common/fields.tsx";
import { unitLabel } from "../units/options.tsx";
import { RevokeButton } from "./RevokeButton.tsx";
import { ApiKeyStatusField } from "./StatusField.tsx";

const Actions = () => (
  <TopToolbar>
    <RevokeButton />
  </TopToolbar>
);

export default function ApiKeyShow() {
  return (
    <Show actions={<Actions />}>
      <SimpleShowLayout>
        <TextField source="name" data-user-text />
        <ApiKeyStatusField source="status" />
        <EnumChips source="permissions" prefix="app.permissions" />
        <EnumChips source="channels" prefix="app.cases.channels" />
        <ReferenceField source="unitId" reference="units" link="show" emptyText="—">
          <FunctionField render={unitLabel} />
        </ReferenceField>
        <NumberField source="rateLimitPerMinute" />
        <DateTimeField source="createdAt" />
        <DateTimeField source="lastUsedAt" />
        <DateTimeField source="revokedAt" />
      </SimpleShowLayout>
    </Show>
  );
}
