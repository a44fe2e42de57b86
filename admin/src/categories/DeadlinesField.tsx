import { Chip, Table, TableBody, TableCell, TableHead, TableRow } from "@mui/material";
import { useRecordContext, useTranslate } from "react-admin";
import { STAGES } from "../common/choices.ts";

type Duration = { amount?: number; unit?: string };
const SOURCE_COLOR = { category: "primary", parent: "secondary", county: "default" } as const;

/**
 * The effective time limit of every stage and where it comes from — the category itself, its
 * parent, or the county default (系统设置) — as the API resolves it (core/category/rules.ts `resolve`).
 */
export const DeadlinesField = (_props: { label?: string; source?: string }) => {
  const record = useRecordContext();
  const translate = useTranslate();
  const effective = (record?.effective?.deadlines ?? {}) as Record<string, Duration | undefined>;
  const sources = (record?.effective?.sources?.deadlines ?? {}) as Record<string, keyof typeof SOURCE_COLOR | undefined>;
  return (
    <Table size="small" sx={{ width: "auto" }} data-testid="category-deadlines">
      <TableHead>
        <TableRow>
          <TableCell>{translate("app.settings_page.stage")}</TableCell>
          <TableCell colSpan={2}>{translate("app.categories.effective")}</TableCell>
          <TableCell>{translate("app.categories.source")}</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {STAGES.map((stage) => {
          const d = effective[stage];
          const source = sources[stage];
          return (
            <TableRow key={stage} data-testid={`deadline-${stage}`} data-source={source}>
              <TableCell>{translate(`app.stages.${stage}`)}</TableCell>
              <TableCell align="right">{d?.amount ?? "—"}</TableCell>
              <TableCell>{d?.unit ? translate(`app.duration_units.${d.unit}`, { _: d.unit }) : ""}</TableCell>
              <TableCell>{source ? <Chip size="small" variant="outlined" color={SOURCE_COLOR[source]} label={translate(`app.categories.sources.${source}`)} /> : "—"}</TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
};
