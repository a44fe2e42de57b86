/**
 * The case desk: one tab per queue that matters (to accept, claimable now, dispatched to my
 * department, overdue, supervised, awaiting verification, all open), filters by unit subtree,
 * category, state and report date. Rows open the case page; claimable rows can be claimed here.
 */
import { Box, Tab, Tabs } from "@mui/material";
import {
  AutocompleteInput,
  Button,
  CreateButton,
  DataTable,
  DateInput,
  FilterButton,
  List,
  ReferenceField,
  ReferenceInput,
  SelectInput,
  TopToolbar,
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
import { CountdownField, FlagsField, OwnerField, StateField } from "./fields.tsx";
import { defaultQueue, isQueue, QUEUES, type CaseRecord } from "./model.ts";
import { useCaseAct } from "./useCaseAct.ts";

const filters = [
  <ReferenceInput key="unitId" source="unitId" reference="units" alwaysOn>
    <AutocompleteInput optionText={unitLabel} filterToQuery={unitSearch} helperText={false} sx={{ minWidth: 240 }} />
  </ReferenceInput>,
  <ReferenceInput key="categoryId" source="categoryId" reference="categories" perPage={200} alwaysOn>
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
    <Box sx={{ borderBottom: 1, borderColor: "divider" }}>
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

export default function CaseDesk() {
  return (
    <List
      filters={filters}
      filterDefaultValues={{ queue: defaultQueue(roles()) }}
      actions={<DeskActions />}
      exporter={false}
      perPage={50}
      pagination={<ListPagination />}
      empty={false}
      title="app.cases.desk"
      data-testid="case-desk"
    >
      <QueueTabs />
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
    </List>
  );
}
