/**
 * The bell: unread in-app notifications (`GET /v1/me/notifications?unread=true`), polled every
 * minute. Opening one marks it read (`POST /v1/me/notifications/{id}/read`, the id URL-encoded:
 * it holds `#` and `:`) and goes to its case.
 */
import { useState } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Badge, Box, Button, Divider, IconButton, ListItemText, Menu, MenuItem, Tooltip, Typography } from "@mui/material";
import NotificationsIcon from "@mui/icons-material/Notifications";
import { useDataProvider, useLocaleState, useNotify, useTranslate } from "react-admin";
import { useNavigate } from "react-router-dom";
import type { AppDataProvider, Page } from "../dataProvider.ts";
import { notifyError } from "../common/notifyError.ts";
import { intlLocale } from "../i18n/index.ts";
import { noticeView, notificationReadPath, type Notification } from "./notifications.ts";

const KEY = ["wangge", "notifications", "unread"];

export const NotificationsBell = () => {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const dataProvider = useDataProvider<AppDataProvider>();
  const queryClient = useQueryClient();
  const notify = useNotify();
  const navigate = useNavigate();
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  const { data } = useQuery({
    queryKey: KEY,
    queryFn: () => dataProvider.getRaw<Page<Notification>>("/v1/me/notifications", { unread: "true", limit: 50 }),
    refetchInterval: 60_000,
    retry: false,
  });
  const items = data?.items ?? [];
  const more = !!data?.nextCursor;
  const fmt = new Intl.DateTimeFormat(intlLocale(locale), { dateStyle: "short", timeStyle: "short" });

  const markRead = async (ids: string[]) => {
    for (const id of ids) await dataProvider.postRaw(notificationReadPath(id));
    await queryClient.invalidateQueries({ queryKey: KEY });
  };

  const open = async (n: Notification) => {
    setAnchor(null);
    navigate(noticeView(n).to);
    try {
      await markRead([n.id]);
    } catch (e) {
      notifyError(notify, e);
    }
  };

  const readAll = async () => {
    try {
      await markRead(items.map((n) => n.id));
    } catch (e) {
      notifyError(notify, e);
    }
  };

  const count = items.length;
  return (
    <>
      <Tooltip title={translate("app.notifications.title")}>
        <IconButton color="inherit" onClick={(e) => setAnchor(e.currentTarget)} aria-label={translate("app.notifications.title")} data-testid="notifications-bell">
          <Badge badgeContent={more ? `${count}+` : count} color="error" max={99} data-testid="notifications-count" data-count={count}>
            <NotificationsIcon />
          </Badge>
        </IconButton>
      </Tooltip>
      <Menu anchorEl={anchor} open={!!anchor} onClose={() => setAnchor(null)} slotProps={{ paper: { sx: { width: 360, maxHeight: 480 } } }} data-testid="notifications-menu">
        <Box sx={{ px: 2, py: 1, display: "flex", alignItems: "center" }}>
          <Typography variant="subtitle1" sx={{ flex: 1 }}>
            {translate("app.notifications.title")}
          </Typography>
          {count ? (
            <Button size="small" onClick={readAll} data-testid="notifications-read-all">
              {translate("app.notifications.read_all")}
            </Button>
          ) : null}
        </Box>
        <Divider />
        {count === 0 ? (
          <MenuItem disabled>{translate("app.notifications.none")}</MenuItem>
        ) : (
          items.map((n) => (
            <MenuItem key={n.id} onClick={() => open(n)} data-testid="notification-item">
              <ListItemText
                primary={
                  <>
                    <span data-user-text>{noticeView(n).subject}</span> · {translate(noticeView(n).typeKey, { _: n.type })}
                  </>
                }
                secondary={fmt.format(new Date(n.at))}
              />
            </MenuItem>
          ))
        )}
        <Divider />
        <MenuItem
          onClick={() => {
            setAnchor(null);
            navigate("/notifications");
          }}
          data-testid="notifications-open-all"
        >
          <Typography variant="body2" color="primary">
            {translate("app.inbox.open_all")}
          </Typography>
        </MenuItem>
      </Menu>
    </>
  );
};
