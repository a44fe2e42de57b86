/**
 * 单元树 (`#/units/tree`): the county as a lazily loaded tree (county → 街道/乡镇 → 社区/村 → 网格 →
 * 微网格). Each level is read when it is opened (`GET /v1/units/tree?parentId=`, children by code,
 * 100 at a time with "load more"), so a county of thousands of micro-grids is never loaded at once.
 * Every unit shows its subtree's open cases and the month's overdue events, reports and closures
 * (from the aggregates), its registered households, people and places (registry tallies of the
 * subtree) and its statistical households and population; its name opens the unit.
 */
import { useState } from "react";
import { useInfiniteQuery } from "@tanstack/react-query";
import { Alert, Box, Button, Card, CardContent, Chip, IconButton, LinearProgress, Stack, Tooltip, Typography } from "@mui/material";
import ChevronRightIcon from "@mui/icons-material/ChevronRight";
import ExpandMoreIcon from "@mui/icons-material/ExpandMore";
import MapIcon from "@mui/icons-material/Map";
import { Link, Title, useDataProvider, useTranslate } from "react-admin";
import type { AppDataProvider } from "../dataProvider.ts";
import type { TreeNode, TreePage } from "./figures.ts";

const PAGE = 100;

function useLevel(parentId: string | null) {
  const dataProvider = useDataProvider<AppDataProvider>();
  return useInfiniteQuery({
    queryKey: ["wangge", "units-tree", parentId],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      dataProvider.getRaw<TreePage>("/v1/units/tree", { ...(parentId ? { parentId } : {}), limit: PAGE, ...(pageParam ? { cursor: pageParam } : {}) }),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

const Figure = ({ label, value, warn, testId }: { label: string; value: number | undefined; warn?: boolean; testId: string }) => {
  const translate = useTranslate();
  if (value === undefined) return null;
  return (
    <Chip
      size="small"
      variant={warn && value > 0 ? "filled" : "outlined"}
      color={warn && value > 0 ? "error" : "default"}
      label={`${translate(label)} ${value.toLocaleString()}`}
      data-testid={testId}
      data-value={value}
    />
  );
};

const Row = ({ node, indent }: { node: TreeNode; indent: number }) => {
  const translate = useTranslate();
  const [open, setOpen] = useState(indent === 0);
  const f = node.figures;
  return (
    <Box component="li" sx={{ listStyle: "none" }} data-testid="tree-node" data-code={node.code} data-level={node.level} data-open={open ? "true" : "false"}>
      <Stack
        direction="row"
        sx={{ alignItems: "center", gap: 1, py: 0.5, pl: indent * 3, borderBottom: 1, borderColor: "divider", flexWrap: "wrap", "&:hover": { bgcolor: "action.hover" } }}
      >
        {node.leaf ? (
          <Box sx={{ width: 34 }} />
        ) : (
          <IconButton
            size="small"
            onClick={() => setOpen(!open)}
            aria-expanded={open}
            aria-label={translate(open ? "app.units_tree.collapse" : "app.units_tree.expand")}
            data-testid="tree-toggle"
          >
            {open ? <ExpandMoreIcon /> : <ChevronRightIcon />}
          </IconButton>
        )}
        <Link to={`/units/${encodeURIComponent(node.id)}/show`} data-testid="tree-link" sx={{ fontWeight: indent === 0 ? 600 : 400 }}>
          {node.name}
        </Link>
        <Typography variant="caption" color="text.secondary">
          {translate(`app.unit_levels.${node.level}`, { _: node.level })} · {node.code}
        </Typography>
        <Box sx={{ flex: 1 }} />
        <Stack direction="row" sx={{ gap: 0.5, flexWrap: "wrap" }}>
          <Figure label="app.units_tree.open" value={f?.open} testId="figure-open" />
          <Figure label="app.units_tree.overdue" value={f?.overdue} warn testId="figure-overdue" />
          <Figure label="app.units_tree.reports" value={f?.reports} testId="figure-reports" />
          <Figure label="app.units_tree.closed" value={f?.closed} testId="figure-closed" />
          <Figure label="app.units_tree.registered_households" value={node.registry?.households} testId="figure-registered-households" />
          <Figure label="app.units_tree.registered_people" value={node.registry?.people} testId="figure-registered-people" />
          <Figure label="app.units_tree.registered_places" value={node.registry?.places} testId="figure-registered-places" />
          <Figure label="app.units_tree.households" value={node.households} testId="figure-households" />
          <Figure label="app.units_tree.population" value={node.population} testId="figure-population" />
        </Stack>
      </Stack>
      {open && !node.leaf ? <Children parentId={node.id} indent={indent + 1} /> : null}
    </Box>
  );
};

const Children = ({ parentId, indent }: { parentId: string; indent: number }) => {
  const translate = useTranslate();
  const q = useLevel(parentId);
  const items = q.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Box component="ul" sx={{ m: 0, p: 0 }} data-testid="tree-children" data-parent={parentId}>
      {q.isLoading ? <LinearProgress sx={{ ml: indent * 3 }} /> : null}
      {q.isError ? (
        <Alert severity="error" sx={{ ml: indent * 3 }}>
          {translate("app.units_tree.error")}
        </Alert>
      ) : null}
      {items.map((n) => (
        <Row key={n.id} node={n} indent={indent} />
      ))}
      {q.isSuccess && items.length === 0 ? (
        <Typography component="li" variant="body2" color="text.secondary" sx={{ listStyle: "none", pl: indent * 3 + 5, py: 0.5 }}>
          {translate("app.units_tree.no_children")}
        </Typography>
      ) : null}
      {q.hasNextPage ? (
        <Box component="li" sx={{ listStyle: "none", pl: indent * 3 + 5, py: 0.5 }}>
          <Button size="small" disabled={q.isFetchingNextPage} onClick={() => void q.fetchNextPage()} data-testid="tree-more">
            {translate("app.units_tree.more", { count: items.length })}
          </Button>
        </Box>
      ) : null}
    </Box>
  );
};

export default function UnitsTreePage() {
  const translate = useTranslate();
  const roots = useLevel(null);
  const first = roots.data?.pages[0];
  const items = roots.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Card sx={{ mt: 2 }} data-testid="units-tree">
      <Title title={translate("app.units_tree.title")} />
      <CardContent>
        <Stack direction="row" sx={{ alignItems: "center", gap: 1, mb: 1, flexWrap: "wrap" }}>
          <Typography variant="h6" component="h2" sx={{ flex: 1 }}>
            {translate("app.units_tree.title")}
          </Typography>
          {first ? <Chip size="small" label={translate("app.units_tree.month", { month: first.month })} data-testid="tree-month" /> : null}
          <Tooltip title={translate("app.grids_map.title")}>
            <Button component={Link} to="/units/map" startIcon={<MapIcon />} size="small" data-testid="tree-to-map">
              {translate("app.grids_map.title")}
            </Button>
          </Tooltip>
        </Stack>
        <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
          {translate("app.units_tree.help")}
        </Typography>
        {roots.isLoading ? <LinearProgress /> : null}
        {roots.isError ? <Alert severity="error">{translate("app.units_tree.error")}</Alert> : null}
        <Box component="ul" sx={{ m: 0, p: 0 }}>
          {items.map((n) => (
            <Row key={n.id} node={n} indent={0} />
          ))}
        </Box>
      </CardContent>
    </Card>
  );
}
