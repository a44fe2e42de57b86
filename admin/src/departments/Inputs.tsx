/** The department form, shared by Create and Edit. */
import { Box } from "@mui/material";
import { AutocompleteArrayInput, BooleanInput, ReferenceArrayInput, TextInput, maxLength, regex, required } from "react-admin";
import { unitLabel, unitSearch } from "../units/options.tsx";

const validateCode = [required(), regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/, "app.validation.department_code")];
export const validatePhoneAny = regex(/^\+?\d[\d -]{4,19}$/, "app.validation.phone_any");

export const DepartmentInputs = ({ mode }: { mode: "create" | "edit" }) => (
  <>
    <Box sx={{ display: "flex", gap: 2, flexWrap: "wrap" }}>
      <TextInput source="name" validate={[required(), maxLength(64)]} />
      <TextInput source="code" validate={validateCode} />
    </Box>
    <Box sx={{ display: "flex", gap: 2, flexWrap: "wrap" }}>
      <TextInput source="contact.name" validate={[required(), maxLength(64)]} />
      <TextInput source="contact.phone" validate={validatePhoneAny} />
    </Box>
    <ReferenceArrayInput source="unitIds" reference="units">
      <AutocompleteArrayInput optionText={unitLabel} filterToQuery={unitSearch} fullWidth />
    </ReferenceArrayInput>
    {mode === "edit" ? <BooleanInput source="active" /> : null}
  </>
);
