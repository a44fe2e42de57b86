/** The API key form: what the partner application may do, where, and how often. */
import { CheckboxGroupInput, NumberInput, TextInput, maxLength, maxValue, minValue, number, required } from "react-admin";
import { keyPermissionChoices } from "../common/choices.ts";
import { UnitReferenceInput } from "../units/options.tsx";

export const ApiKeyInputs = () => (
  <>
    <TextInput source="name" validate={[required(), maxLength(64)]} />
    <CheckboxGroupInput
      source="permissions"
      choices={keyPermissionChoices}
      validate={required()}
      sx={{ "& .MuiFormGroup-root": { display: "grid", gridTemplateColumns: "repeat(auto-fill, minmax(220px, 1fr))" } }}
    />
    <UnitReferenceInput source="unitId" helperText="app.api_keys.unit_help" sx={{ maxWidth: 480 }} />
    <NumberInput source="rateLimitPerMinute" validate={[required(), number(), minValue(1), maxValue(10_000)]} min={1} step={1} helperText="app.api_keys.rate_help" />
  </>
);
