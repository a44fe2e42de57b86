/**
 * Report a case: category, description, location (map or coordinates), optional unit (else the
 * grid containing the location), photos (uploaded before the report; see cases/report.ts).
 */
import { BooleanInput, Create, ReferenceInput, SelectInput, SimpleForm, TextInput, maxLength, required, useNotify, useRedirect } from "react-admin";
import { Box } from "@mui/material";
import { PhotosInput } from "../common/PhotosInput.tsx";
import { SaveToolbar } from "../common/SaveToolbar.tsx";
import { UnitReferenceInput } from "../units/options.tsx";
import { LocationInput } from "./LocationInput.tsx";
import type { CaseRecord } from "./model.ts";

export default function CaseCreate() {
  const notify = useNotify();
  const redirect = useRedirect();
  return (
    <Create
      title="app.cases.report"
      mutationOptions={{
        onSuccess: (data: CaseRecord) => {
          const dups = data.possibleDuplicates?.length ?? 0;
          notify(dups ? "app.cases.reported_duplicates" : "app.cases.reported", { type: dups ? "warning" : "success", messageArgs: { number: data.number, smart_count: dups } });
          redirect("show", "cases", data.id);
        },
      }}
    >
      <SimpleForm toolbar={<SaveToolbar />} data-testid="case-report-form">
        <Box sx={{ display: "flex", gap: 2, flexWrap: "wrap", width: "100%" }}>
          <ReferenceInput source="categoryId" reference="categories" perPage={200} filter={{ active: "true" }}>
            <SelectInput optionText="name" validate={required()} fullWidth={false} sx={{ minWidth: 280 }} data-testid="report-category" />
          </ReferenceInput>
          <BooleanInput source="urgent" fullWidth={false} sx={{ alignSelf: "center" }} />
        </Box>
        <TextInput source="description" multiline minRows={3} fullWidth validate={[required(), maxLength(4000)]} data-testid="report-description" />
        <LocationInput />
        <UnitReferenceInput source="unitId" helperText="app.cases.unit_help" filter={{ active: "true" }} />
        <PhotosInput source="photos" testId="report-photos" />
      </SimpleForm>
    </Create>
  );
}
