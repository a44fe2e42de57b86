/**
 * "Who revealed whose data" (敏感信息查看记录): every `registry.reveal` entry of the audit trail
 * (the action index, `GET /v1/audit?action=registry.reveal`), newest first: who, when, which record
 * (household, person or place, with a link), which fields and the reason given. Optional filters:
 * the person who revealed and a time range.
 */
import { useInfiniteQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Alert, Box, Button, Card, CardContent, CardHeader, Stack, Table, TableBody, TableCell, TableHead, TableRow, TextField, Typography } from "@mui/material";
import { Link, Title, useDataProvider, useLocaleState, useTranslate } from "react-admin";
import type { AppDataProvider, Page } from "../dataProvider.ts";
import { intlLocale } from "../i18n/index.ts";
import { ActorName } from "../common/NameLabels.tsx";
import { entityLabel, revealedFields, type AuditRecord } from "./model.ts";

const RESOURCE: Record<string, string> = { household: "households", person: "people", place: "places" };

export default function RevealsPage() {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const api = useDataProvider<AppDataProvider>();
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const query = { action: "registry.reveal", limit: 50, ...(from ? { from: new Date(from).toISOString() } : {}), ...(to ? { to: new Date(to).toISOString() } : {}) };
  const q = useInfiniteQuery({
    queryKey: ["wangge", "audit", "reveals", query],
    queryFn: ({ pageParam }) => api.getRaw<Page<AuditRecord & { id: string; at: string }>>("/v1/audit", { ...query, ...(pageParam ? { cursor: pageParam } : {}) }),
    initialPageParam: "",
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const items = q.data?.pages.flatMap((p) => p.items) ?? [];
  const fmt = new Intl.DateTimeFormat(intlLocale(locale), { dateStyle: "medium", timeStyle: "medium", hourCycle: "h23" });
  return (
    <Box sx={{ mt: 2 }} data-testid="reveals-page">
      <Title title="app.audit_log.reveals" />
      <Card>
        <CardHeader title={translate("app.audit_log.reveals")} subheader={translate("app.audit_log.reveals_help")} />
        <CardContent>
          <Stack direction="row" sx={{ gap: 2, mb: 2, flexWrap: "wrap" }}>
            <TextField type="datetime-local" size="small" label={translate("app.audit_log.from")} value={from} onChange={(e) => setFrom(e.target.value)} slotProps={{ inputLabel: { shrink: true } }} />
            <TextField type="datetime-local" size="small" label={translate("app.audit_log.to")} value={to} onChange={(e) => setTo(e.target.value)} slotProps={{ inputLabel: { shrink: true } }} />
          </Stack>
          {q.isError ? <Alert severity="warning">{translate("app.dashboard.load_failed")}</Alert> : null}
          {items.length === 0 && !q.isPending ? (
            <Typography color="text.secondary">{translate("app.dashboard.no_data")}</Typography>
          ) : (
            <Table size="small" data-testid="reveals-table">
              <TableHead>
                <TableRow>
                  <TableCell>{translate("resources.audit.fields.at")}</TableCell>
                  <TableCell>{translate("app.audit_log.actor")}</TableCell>
                  <TableCell>{translate("app.audit_log.record")}</TableCell>
                  <TableCell>{translate("app.audit_log.fields")}</TableCell>
                  <TableCell>{translate("app.audit_log.reason")}</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {items.map((e) => (
                  <TableRow key={e.id} data-testid="reveal-row">
                    <TableCell>{fmt.format(new Date(e.at))}</TableCell>
                    <TableCell>{e.actor ? <ActorName actor={e.actor} /> : "—"}</TableCell>
                    <TableCell>
                      {entityLabel(translate, e.entity)}{" "}
                      {RESOURCE[e.entity] ? <Link to={`/${RESOURCE[e.entity]}/${e.entityId}/show`}>{e.entityId}</Link> : e.entityId}
                    </TableCell>
                    <TableCell>{revealedFields(e.summary).map((f) => translate(`resources.${RESOURCE[e.entity] ?? e.entity}.fields.${f}`, { _: f })).join("、")}</TableCell>
                    <TableCell>{e.reason ?? "—"}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
          {q.hasNextPage ? (
            <Box sx={{ textAlign: "center", mt: 1 }}>
              <Button onClick={() => q.fetchNextPage()}>{translate("app.inbox.more")}</Button>
            </Box>
          ) : null}
        </CardContent>
      </Card>
    </Box>
  );
}
