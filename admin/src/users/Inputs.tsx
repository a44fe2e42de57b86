/** The user form, shared by Create (with an initial password) and Edit. */
import { Box } from "@mui/material";
import {
  AddItemButton,
  ArrayInput,
  BooleanInput,
  FormDataConsumer,
  PasswordInput,
  ReferenceInput,
  SelectInput,
  SimpleFormIterator,
  TextInput,
  maxLength,
  minLength,
  regex,
  required,
} from "react-admin";
import { roleChoices } from "../common/choices.ts";
import { DEPARTMENT_ROLES } from "../permissions.ts";
import { UnitReferenceInput } from "../units/options.tsx";

const validateUsername = [required(), minLength(2), maxLength(64), regex(/^[a-zA-Z0-9_.-]+$/, "app.validation.username")];
export const validatePhone = regex(/^1[3-9]\d{9}$/, "app.validation.phone");
export const validatePassword = [required(), minLength(10, "app.validation.password_length"), maxLength(200)];

export const AssignmentsInput = () => (
  <ArrayInput source="assignments" helperText="app.users.assignments_help" validate={required()}>
    <SimpleFormIterator inline disableReordering disableClear addButton={<AddItemButton label="app.users.add_assignment" data-testid="user-add-assignment" />}>
      <SelectInput source="role" label="resources.users.fields.role" choices={roleChoices} validate={required()} />
      <UnitReferenceInput source="unitId" label="resources.users.fields.unitId" validate={required()} sx={{ minWidth: 280 }} fullWidth={false} />
      <FormDataConsumer>
        {({ scopedFormData }) =>
          DEPARTMENT_ROLES.includes(scopedFormData?.role) ? (
            <ReferenceInput source="departmentId" reference="departments" perPage={200}>
              <SelectInput optionText="name" label="resources.users.fields.departmentId" validate={required()} />
            </ReferenceInput>
          ) : null
        }
      </FormDataConsumer>
    </SimpleFormIterator>
  </ArrayInput>
);

export const UserInputs = ({ mode }: { mode: "create" | "edit" }) => (
  <>
    <Box sx={{ display: "flex", gap: 2, flexWrap: "wrap" }}>
      <TextInput source="username" validate={mode === "create" ? validateUsername : undefined} readOnly={mode === "edit"} autoComplete="off" />
      <TextInput source="displayName" validate={[required(), maxLength(64)]} />
      <TextInput source="phone" validate={validatePhone} />
    </Box>
    {mode === "create" ? <PasswordInput source="password" validate={validatePassword} autoComplete="new-password" /> : <BooleanInput source="active" />}
    <AssignmentsInput />
  </>
);

/** Only the fields an assignment is written with (the server derives `unitPath`). */
export const transformUser = (data: Record<string, any>) => ({
  ...data,
  assignments: Array.isArray(data.assignments)
    ? data.assignments.map((a: Record<string, unknown>) => ({
        role: a.role,
        unitId: a.unitId,
        ...(DEPARTMENT_ROLES.includes(String(a.role)) && a.departmentId ? { departmentId: a.departmentId } : {}),
      }))
    : data.assignments,
});
