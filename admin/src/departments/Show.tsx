import { Chip } from "@mui/material";
import { FunctionField, ReferenceArrayField, Show, SimpleShowLayout, SingleFieldList, TextField } from "react-admin";
import { ActiveField, DateTimeField } from "../common/fields.tsx";
import { unitLabel } from "../units/options.tsx";

export default function DepartmentShow() {
  return (
    <Show>
      <SimpleShowLayout>
        <TextField source="name" data-user-text />
        <TextField source="code" data-user-text />
        <TextField source="contact.name" emptyText="—" />
        <TextField source="contact.phone" emptyText="—" />
        <ReferenceArrayField source="unitIds" reference="units" emptyText="—">
          <SingleFieldList linkType="show">
            <FunctionField render={(r) => <Chip size="small" label={unitLabel(r)} clickable />} />
          </SingleFieldList>
        </ReferenceArrayField>
        <ActiveField source="active" />
        <DateTimeField source="updatedAt" />
      </SimpleShowLayout>
    </Show>
  );
}
