/** How a unit is named in pickers and references. */
import { AutocompleteInput, ReferenceInput, type AutocompleteInputProps } from "react-admin";

export const unitLabel = (r?: Record<string, any> | null): string => (r ? (r.code ? `${r.name} · ${r.code}` : String(r.name ?? r.id)) : "");

/** Search-as-you-type over `GET /v1/units?q=` (name or code). */
export const unitSearch = (q: string) => (q && q.trim() ? { q: q.trim() } : {});

export const UnitReferenceInput = ({
  source,
  filter,
  ...rest
}: { source: string; filter?: Record<string, unknown> } & Omit<Partial<AutocompleteInputProps>, "source" | "filter">) => (
  <ReferenceInput source={source} reference="units" filter={filter}>
    <AutocompleteInput optionText={unitLabel} filterToQuery={unitSearch} fullWidth {...rest} />
  </ReferenceInput>
);
