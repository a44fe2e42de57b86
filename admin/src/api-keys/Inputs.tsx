/** The API key form: what the partner application may do, where, and how often. */
import { CheckboxGroupInput, NumberInput, TextInput, maxLength, maxValue, minValue, number, required } from "react-admin";
import type { GrantableChannel } from "../../../core/apikey/schema.ts";
import { choicesOf, keyPermissionChoices } from "../common/choices.ts";
import { UnitReferenceInput } from "../units/options.tsx";

/**
 * Report channels a key may be granted besides `partner` (core/apikey/schema.ts GrantableChannel;
 * the `satisfies` makes tsc fail when the two drift). A case on these channels counts as coming
 * from the police or the 12345 hotline, so the grant is explicit.
 */
export const KEY_CHANNELS = ["police", "hotline"] as const satisfies readonly GrantableChannel[];
export const keyChannelChoices = choicesOf("app.cases.channels", KEY_CHANNELS);

export const ApiKeyInputs = () => (
  <>
    <TextInput source="name" validate={[required(), maxLength(64)]} />
    <CheckboxGroupInput
      source="permissions"
      choices={keyPermissionChoices}
      validate={required()}
      sx={{ "& .MuiFormGroup-root": { display: "grid", gridTemplateColumns: "repeat(auto-fill, minmax(220px, 1fr))" } }}
    />
    <CheckboxGroupInput source="channels" choices={keyChannelChoices} helperText="app.api_keys.channels_help" data-testid="api-key-channels" />
    <UnitReferenceInput source="unitId" helperText="app.api_keys.unit_help" sx={{ maxWidth: 480 }} />
    <NumberInput source="rateLimitPerMinute" validate={[required(), number(), minValue(1), maxValue(10_000)]} min={1} step={1} helperText="app.api_keys.rate_help" />
  </>
);
