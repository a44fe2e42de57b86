/** The unit form, shared by Create and Edit. The code and parent are set at creation (a move changes them). */
import { Labeled, NumberInput, ReferenceField, SelectInput, TextInput, maxLength, minValue, number, regex, required, useRecordContext } from "react-admin";
import { Box } from "@mui/material";
import { unitTypeChoices } from "../common/choices.ts";
import { BoundaryInput, parseBoundary } from "../common/JsonInput.tsx";
import { UnitReferenceInput, unitLabel } from "./options.tsx";

export const validateCode = [required(), regex(/^\d{6,24}$/, "app.validation.code_digits")];
const validateCount = [number(), minValue(0)];

export const UnitInputs = ({ mode }: { mode: "create" | "edit" }) => (
  <>
    {mode === "create" ? (
      <UnitReferenceInput source="parentId" validate={required()} />
    ) : (
      <Labeled source="parentId">
        <ReferenceField source="parentId" reference="units" link="show" emptyText="—">
          <ParentName />
        </ReferenceField>
      </Labeled>
    )}
    <Box sx={{ display: "flex", gap: 2, flexWrap: "wrap", width: "100%" }}>
      <TextInput source="name" validate={[required(), maxLength(64)]} />
      <TextInput source="code" validate={mode === "create" ? validateCode : undefined} readOnly={mode === "edit"} />
      <SelectInput source="type" choices={unitTypeChoices} validate={required()} />
    </Box>
    <Box sx={{ display: "flex", gap: 2, flexWrap: "wrap" }}>
      <NumberInput source="households" validate={validateCount} min={0} step={1} />
      <NumberInput source="population" validate={validateCount} min={0} step={1} />
    </Box>
    <BoundaryInput />
  </>
);

const ParentName = () => <>{unitLabel(useRecordContext())}</>;

/** Form values → API body: the boundary text becomes GeoJSON. */
export const transformUnit = (data: Record<string, unknown>) => ({ ...data, boundary: parseBoundary(data.boundary) });
