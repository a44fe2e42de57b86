/**
 * Notifications (消息通知) as a page beside the bell: all or only unread (`GET /v1/me/notifications`
 * with `unread=true`), newest first, paged with the API's cursor ("load more"); marking one or the
 * whole page read (`POST /v1/me/notifications/{id}/read`); a row opens its case.
 */
import { useState } from "react";
import { useInfiniteQuery, useQueryClient } from "@tanstack/react-query";
import { Box, Button, Card, Chip, Stack, Tab, Table, TableBody, TableCell, TableHead, TableRow, Tabs, Typography } from "@mui/material";
import DoneAllIcon from "@mui/icons-material/DoneAll";
import { Link, Title, useDataProvider, useLocaleState, useNotify, useTranslate } from "react-admin";
import type { AppDataProvider, Page } from "../dataProvider.ts";
import { intlLocale } from "../i18n/index.ts";
import { notifyError } from "../common/notifyError.ts";
import { noticeView, notificationReadPath, type Notification } from "../layout/notifications.ts";

export default function NotificationsPage() {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const api = useDataProvider<AppDataProvider>();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const [tab, setTab] = useState<"unread" | "all">("unread");
  const q = useInfiniteQuery({
    queryKey: ["wangge", "notifications", "page", tab],
    queryFn: ({ pageParam }) => api.getRaw<Page<Notification>>("/v1/me/notifications", { limit: 50, ...(tab === "unread" ? { unread: "true" } : {}), ...(pageParam ? { cursor: pageParam } : {}) }),
    initialPageParam: "",
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchInterval: 60_000,
  });
  const items = q.data?.pages.flatMap((p) => p.items) ?? [];
  const fmt = new Intl.DateTimeFormat(intlLocale(locale), { dateStyle: "medium", timeStyle: "short", hourCycle: "h23" });
  const markRead = async (ids: string[]) => {
    try {
      for (const id of ids) await api.postRaw(notificationReadPath(id));
    } catch (e) {
      notifyError(notify, e);
    }
    // the bell and this page read the same inbox
    await queryClient.invalidateQueries({ queryKey: ["wangge", "notifications"] });
  };
  const unread = items.filter((n) => !n.read);
  return (
    <Box sx={{ mt: 2 }} data-testid="notifications-page">
      <Title title="app.inbox.title" />
      <Card>
        <Stack direction="row" sx={{ alignItems: "center", px: 2 }}>
          <Tabs value={tab} onChange={(_, v) => setTab(v)} sx={{ flex: 1 }}>
            <Tab value="unread" label={translate("app.inbox.unread")} data-testid="inbox-tab-unread" />
            <Tab value="all" label={translate("app.inbox.all")} data-testid="inbox-tab-all" />
          </Tabs>
          {unread.length ? (
            <Button size="small" startIcon={<DoneAllIcon />} onClick={() => markRead(unread.map((n) => n.id))} data-testid="inbox-read-all">
              {translate("app.inbox.read_all")}
            </Button>
          ) : null}
        </Stack>
        {items.length === 0 && !q.isPending ? (
          <Typography sx={{ p: 2 }} color="text.secondary" data-testid="inbox-empty">
            {translate("app.inbox.empty")}
          </Typography>
        ) : (
          <Table size="small" data-testid="inbox-table" data-count={items.length}>
            <TableHead>
              <TableRow>
                <TableCell>{translate("app.inbox.when")}</TableCell>
                <TableCell>{translate("app.inbox.case")}</TableCell>
                <TableCell>{translate("app.inbox.what")}</TableCell>
                <TableCell />
              </TableRow>
            </TableHead>
            <TableBody>
              {items.map((n) => (
                <TableRow key={n.id} data-testid="inbox-row" data-id={n.id} data-read={n.read} sx={n.read ? undefined : { "& td": { fontWeight: 600 } }}>
                  <TableCell>{fmt.format(new Date(n.at))}</TableCell>
                  <TableCell>
                    <Link to={noticeView(n).to} onClick={() => (n.read ? undefined : void markRead([n.id]))} data-user-text>
                      {noticeView(n).subject}
                    </Link>
                  </TableCell>
                  <TableCell>{translate(noticeView(n).typeKey, { _: n.type })}</TableCell>
                  <TableCell align="right">
                    {n.read ? (
                      <Chip size="small" label={translate("app.inbox.read")} />
                    ) : (
                      <Button size="small" onClick={() => markRead([n.id])} data-testid="inbox-mark-read">
                        {translate("app.inbox.mark_read")}
                      </Button>
                    )}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
        {q.hasNextPage ? (
          <Box sx={{ p: 1, textAlign: "center" }}>
            <Button onClick={() => q.fetchNextPage()} disabled={q.isFetchingNextPage}>
              {translate("app.inbox.more")}
            </Button>
          </Box>
        ) : null}
      </Card>
    </Box>
  );
}
