/**
 * The case desk: one tab per queue that matters (to accept, claimable now, dispatched to my
 * department, overdue, supervised, awaiting verification, all open), filters by unit subtree,
 * category, state and report date. Rows open the case page; claimable rows can be claimed here.
 */
import { Box, Stack, Tab, Tabs, Typography, useMediaQuery, type Theme } from "@mui/material";
import { useQuery } from "@tanstack/react-query";
import {
  AutocompleteInput,
  Button,
  CreateButton,
  DataTable,
  DateInput,
  FilterButton,
  List,
  Loading,
  ReferenceField,
  SimpleList,
  ReferenceInput,
  SelectInput,
  TopToolbar,
  useDataProvider,
  useListContext,
  useRecordContext,
  useTranslate,
} from "react-admin";
import PanToolIcon from "@mui/icons-material/PanTool";
import { caseStateChoices } from "../common/choices.ts";
import { Col, DateTimeField } from "../common/fields.tsx";
import { ListPagination } from "../common/ListPagination.tsx";
import { getMe } from "../session.ts";
import { unitLabel, unitSearch } from "../units/options.tsx";
import { UnitName } from "../common/NameLabels.tsx";
import { CountdownField, FlagChips, FlagsField, OwnerField, StateChip, StateField } from "./fields.tsx";
import { isQueue, pickQueue, QUEUES, workQueues, type CaseRecord } from "./model.ts";
import { useCaseAct } from "./useCaseAct.ts";

/** Unit and category are always shown on wide screens; on a phone they wait behind the filter button. */
const deskFilters = (small: boolean) => [
  <ReferenceInput key="unitId" source="unitId" reference="units" alwaysOn={!small}>
    <AutocompleteInput optionText={unitLabel} filterToQuery={unitSearch} helperText={false} sx={{ minWidth: small ? 200 : 240 }} />
  </ReferenceInput>,
  <ReferenceInput key="categoryId" source="categoryId" reference="categories" perPage={200} alwaysOn={!small}>
    <SelectInput optionText="name" helperText={false} sx={{ minWidth: 160 }} />
  </ReferenceInput>,
  <DateInput key="from" source="from" helperText={false} />,
  <DateInput key="to" source="to" helperText={false} />,
  <SelectInput key="state" source="state" choices={caseStateChoices} helperText={false} />,
];

const roles = () => getMe()?.assignments.map((a) => a.role) ?? [];

const QueueTabs = () => {
  const translate = useTranslate();
  const { filterValues, setFilters, displayedFilters } = useListContext();
  const isDept = roles().includes("department_staff");
  const queue = isQueue(filterValues.queue) ? filterValues.queue : "all";
  return (
    // a definite width on phones, so the tabs scroll instead of widening the page
    <Box sx={{ borderBottom: 1, borderColor: "divider", maxWidth: { xs: "calc(100vw - 16px)", sm: "100%" } }}>
      <Tabs
        value={queue}
        onChange={(_e, q: string) => setFilters({ ...filterValues, queue: q }, displayedFilters)}
        variant="scrollable"
        scrollButtons="auto"
        data-testid="case-queues"
      >
        {QUEUES.map((q) => (
          <Tab key={q} value={q} label={translate(q === "mine" && isDept ? "app.cases.queues.mine_department" : `app.cases.queues.${q}`)} data-testid={`queue-${q}`} />
        ))}
      </Tabs>
    </Box>
  );
};

/** Claim from the list, without opening the case (the claim window is short). */
const ClaimButton = () => {
  const record = useRecordContext<CaseRecord>();
  const act = useCaseAct();
  if (!record?.allowedActions?.includes("claim")) return null;
  return (
    <Button
      label="app.cases.actions.claim"
      variant="outlined"
      size="small"
      disabled={act.isPending}
      onClick={(e) => {
        e.stopPropagation();
        act.mutate({ id: record.id, action: "claim", body: {} });
      }}
      data-testid={`claim-${record.number}`}
    >
      <PanToolIcon />
    </Button>
  );
};

const DeskActions = () => (
  <TopToolbar>
    <FilterButton />
    <CreateButton label="app.cases.report" data-testid="case-report" />
  </TopToolbar>
);

/** On a phone: one card-like row per case (number, state, flags, category, place, time left). */
const PhoneRows = () => {
  const translate = useTranslate();
  return (
    <SimpleList<CaseRecord>
      linkType="show"
      data-testid="cases-phone-list"
      primaryText={(r) => (
        <Stack direction="row" sx={{ alignItems: "center", gap: 1, flexWrap: "wrap" }}>
          <span data-testid={`case-row-${r.number}`}>{r.number}</span>
          <StateChip state={r.state} />
          <FlagChips record={r} />
        </Stack>
      )}
      secondaryText={(r) => (
        <>
          <ReferenceField record={r} source="categoryId" reference="categories" link={false} emptyText="—" /> · <UnitName id={r.unitId} short />
          <Typography component="span" variant="body2" data-user-text sx={{ display: "block", whiteSpace: "nowrap", overflow: "hidden", textOverflow: "ellipsis" }}>
            {r.description}
          </Typography>
        </>
      )}
      tertiaryText={(r) => (r.state === "closed" || r.state === "rejected" ? translate(`app.case_states.${r.state}`) : <CountdownField />)}
    />
  );
};

/** The queue to open: the first of the role's work queues that has a case (one one-row read each). */
function useStartQueue() {
  const dataProvider = useDataProvider();
  const queues = workQueues(roles());
  return useQuery({
    queryKey: ["cases", "start-queue", getMe()?.id, queues.join(",")],
    queryFn: async () => {
      if (queues.length === 1) return queues[0];
      const hasWork = await Promise.all(
        queues.map((queue) =>
          dataProvider
            .getList("cases", { filter: { queue }, pagination: { page: 1, perPage: 1 }, sort: { field: "createdAt", order: "DESC" } })
            .then((r) => r.data.length > 0)
            .catch(() => false),
        ),
      );
      return pickQueue(queues, hasWork);
    },
    staleTime: 60_000,
  });
}

export default function CaseDesk() {
  const small = useMediaQuery((theme: Theme) => theme.breakpoints.down("sm"));
  const start = useStartQueue();
  if (start.isPending) return <Loading />;
  return (
    <List
      filters={deskFilters(small)}
      filterDefaultValues={{ queue: start.data ?? workQueues(roles())[0] }}
      actions={<DeskActions />}
      exporter={false}
      perPage={small ? 20 : 50}
      pagination={<ListPagination />}
      empty={false}
      title="app.cases.desk"
      data-testid="case-desk"
    >
      <QueueTabs />
      {small ? (
        <PhoneRows />
      ) : (
        <DataTable rowClick="show" bulkActionButtons={false} data-testid="cases-table">
          <Col source="number" render={(r) => <span data-testid={`case-row-${r.number}`}>{r.number}</span>} />
          <Col source="state">
            <StateField />
          </Col>
          <Col source="flags" label="resources.cases.fields.flags">
            <FlagsField />
          </Col>
          <Col source="categoryId">
            <ReferenceField source="categoryId" reference="categories" link={false} emptyText="—" />
          </Col>
          <Col source="unitId" render={(r) => <UnitName id={r.unitId} depth={2} />} />
          <Col source="owner" label="resources.cases.fields.owner">
            <OwnerField />
          </Col>
          <Col source="dueAt">
            <CountdownField />
          </Col>
          <Col source="createdAt">
            <DateTimeField source="createdAt" />
          </Col>
          <Col source="allowedActions" label="">
            <ClaimButton />
          </Col>
        </DataTable>
      )}
    </List>
  );
}
