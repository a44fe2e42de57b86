/**
 * Report a case: category, description, location (map or coordinates), optional unit (else the
 * grid containing the location), photos (uploaded before the report; see cases/report.ts).
 */
import { BooleanInput, Create, ReferenceInput, SelectInput, SimpleForm, TextInput, maxLength, required, useNotify, useRedirect } from "react-admin";
import { Box } from "@mui/material";
import { PhotosInput } from "../common/PhotosInput.tsx";
import { SaveToolbar } from "../common/SaveToolbar.tsx";
import { CameraButton } from "./CameraButton.tsx";
import { UnitReferenceInput } from "../units/options.tsx";
import { LocationInput } from "./LocationInput.tsx";
import type { CaseRecord } from "./model.ts";

/**
 * On touch screens (a grid worker's phone) every control of the form is at least 44×44 CSS px
 * (Apple HIG 44 pt; Material asks 48 dp): buttons, icon buttons, the urgent switch's label, the
 * map's zoom buttons (map/MapView.tsx). Not enlarged: the small open/clear arrows inside the unit
 * autocomplete — the whole 56 px field opens the same list on a tap.
 * test/browser/mobile-report.test.ts measures it at 375×812.
 */
const touchTargets = {
  "@media (pointer: coarse)": {
    "& .MuiButton-root": { minHeight: 44, minWidth: 44 },
    "& .MuiIconButton-root:not(.MuiAutocomplete-popupIndicator):not(.MuiAutocomplete-clearIndicator)": { minHeight: 44, minWidth: 44 },
    "& .MuiFormControlLabel-root": { minHeight: 44 },
    // MUI's own rule is .MuiSelect-select.MuiInputBase-input.MuiFilledInput-input: outranked with `&&`
    "&& .MuiSelect-select.MuiInputBase-input": { minHeight: 44, boxSizing: "border-box", display: "flex", alignItems: "center" },
    "& .RaFileInput-dropZone": { minHeight: 72, display: "flex", alignItems: "center", justifyContent: "center" },
  },
};

export default function CaseCreate() {
  const notify = useNotify();
  const redirect = useRedirect();
  return (
    <Create
      title="app.cases.report"
      sx={touchTargets}
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
        <CameraButton source="photos" />
        <PhotosInput source="photos" testId="report-photos" />
      </SimpleForm>
    </Create>
  );
}
