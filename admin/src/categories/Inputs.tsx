/**
 * The category form, shared by Create and Edit. Two levels: a child leaves a rule unset to inherit
 * its parent's (then the county default), so the rules are three-state and "unset" is sent as null.
 */
import { Box, Typography } from "@mui/material";
import {
  AutocompleteArrayInput,
  NullableBooleanInput,
  BooleanInput,
  NumberInput,
  ReferenceArrayInput,
  ReferenceField,
  ReferenceInput,
  SelectInput,
  TextInput,
  Labeled,
  maxLength,
  minValue,
  number,
  regex,
  required,
  useTranslate,
  type Validator,
} from "react-admin";
import { durationUnitChoices, STAGES } from "../common/choices.ts";

const validateCode = [required(), regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/, "app.validation.category_code")];
const search = (q: string) => (q && q.trim() ? { q: q.trim() } : {});

/** A stage's time limit needs both parts, or neither. */
const bothOrNeither =
  (stage: string, part: "amount" | "unit"): Validator =>
  (value: unknown, all: Record<string, any>) => {
    const other = all?.deadlines?.[stage]?.[part === "amount" ? "unit" : "amount"];
    const has = (v: unknown) => v !== undefined && v !== null && v !== "";
    return !has(value) && has(other) ? "app.validation.deadline_incomplete" : undefined;
  };

const DeadlineInputs = () => {
  const translate = useTranslate();
  return (
    <Box sx={{ width: "100%" }}>
      <Typography variant="subtitle1" sx={{ mt: 2 }}>
        {translate("app.categories.deadlines")}
      </Typography>
      {STAGES.map((stage) => {
        const stageName = translate(`app.stages.${stage}`);
        return (
          <Box key={stage} sx={{ display: "flex", gap: 2, flexWrap: "wrap", alignItems: "flex-start" }} data-testid={`deadline-${stage}`}>
            <NumberInput
              source={`deadlines.${stage}.amount`}
              label={translate("app.categories.amount", { stage: stageName })}
              validate={[number(), minValue(0.1), bothOrNeither(stage, "amount")]}
              min={0}
              helperText="app.categories.inherited"
            />
            <SelectInput
              source={`deadlines.${stage}.unit`}
              label={translate("app.categories.unit", { stage: stageName })}
              choices={durationUnitChoices}
              validate={bothOrNeither(stage, "unit")}
              emptyText="—"
            />
          </Box>
        );
      })}
    </Box>
  );
};

const RULES = ["isDispute", "police", "urgent", "claimWindow"] as const;

export const CategoryInputs = ({ mode }: { mode: "create" | "edit" }) => (
  <>
    <Box sx={{ display: "flex", gap: 2, flexWrap: "wrap" }}>
      <TextInput source="code" validate={validateCode} />
      <TextInput source="name" validate={[required(), maxLength(64)]} />
      {mode === "create" ? (
        <ReferenceInput source="parentId" reference="categories" filter={{ parentId: "root" }} perPage={200}>
          <SelectInput optionText="name" emptyText="app.categories.top_level" />
        </ReferenceInput>
      ) : (
        <Labeled source="parentId">
          <ReferenceField source="parentId" reference="categories" link="show" emptyText="—" />
        </Labeled>
      )}
    </Box>
    <ReferenceArrayInput source="departmentIds" reference="departments" filter={{ active: "true" }}>
      <AutocompleteArrayInput optionText="name" filterToQuery={search} helperText="app.categories.inherited" sx={{ minWidth: 360 }} />
    </ReferenceArrayInput>
    <Box sx={{ display: "flex", gap: 2, flexWrap: "wrap" }}>
      {RULES.map((rule) => (
        <NullableBooleanInput key={rule} source={rule} nullLabel="app.categories.inherited" sx={{ minWidth: 200 }} />
      ))}
      {mode === "edit" ? <BooleanInput source="active" /> : null}
    </Box>
    <DeadlineInputs />
  </>
);

const complete = (d: { amount?: unknown; unit?: unknown } | null | undefined) =>
  d && d.amount !== undefined && d.amount !== null && d.amount !== "" && typeof d.unit === "string" && d.unit ? { amount: Number(d.amount), unit: d.unit } : null;

/** Form values → API body: unset rules and stages as null (inherit), an empty department list as null. */
export const transformCategory = (data: Record<string, any>) => {
  const deadlines = (data.deadlines ?? {}) as Record<string, { amount?: unknown; unit?: unknown } | null>;
  return {
    ...data,
    departmentIds: Array.isArray(data.departmentIds) && data.departmentIds.length ? data.departmentIds : null,
    deadlines: Object.fromEntries(STAGES.map((s) => [s, complete(deadlines[s])])),
  };
};
