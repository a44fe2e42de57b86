import { Table, TableBody, TableCell, TableRow } from "@mui/material";
import { useRecordContext, useTranslate } from "react-admin";
import { STAGES } from "../common/choices.ts";

/** The per-stage time limits as a small table. */
export const DeadlinesField = (_props: { label?: string; source?: string }) => {
  const record = useRecordContext();
  const translate = useTranslate();
  const deadlines = (record?.deadlines ?? {}) as Record<string, { amount?: number; unit?: string } | undefined>;
  return (
    <Table size="small" sx={{ width: "auto" }} data-testid="category-deadlines">
      <TableBody>
        {STAGES.map((stage) => {
          const d = deadlines[stage];
          return (
            <TableRow key={stage}>
              <TableCell>{translate(`app.stages.${stage}`)}</TableCell>
              <TableCell align="right">{d?.amount ?? translate("app.categories.inherited")}</TableCell>
              <TableCell>{d?.unit ? translate(`app.duration_units.${d.unit}`, { _: d.unit }) : ""}</TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
};
