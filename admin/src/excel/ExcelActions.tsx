/**
 * 下载模板 / 导入Excel / 导出Excel on the staff, departments, categories, households, people and units lists (docs/setup.md
 * "Excel"). Template and import need the right to create the records, the export the right to read them.
 */
import { useState } from "react";
import { useNavigate } from "react-router-dom";
import { Button, CreateButton, FilterButton, TopToolbar, useCanAccess, useNotify, useTranslate } from "react-admin";
import DownloadIcon from "@mui/icons-material/Download";
import UploadFileIcon from "@mui/icons-material/UploadFile";
import GridOnIcon from "@mui/icons-material/GridOn";
import { notifyError } from "../common/notifyError.ts";
import { downloadWorkbook } from "./download.ts";
import { exportPath, LIST_RESOURCE, templatePath, type ExcelList } from "./model.ts";

export function ExcelActions({ list }: { list: ExcelList }) {
  const translate = useTranslate();
  const notify = useNotify();
  const navigate = useNavigate();
  const { canAccess: canWrite } = useCanAccess({ resource: LIST_RESOURCE[list], action: "create" });
  const [busy, setBusy] = useState(false);
  const save = async (path: string, name: string) => {
    setBusy(true);
    try {
      await downloadWorkbook(path, name);
    } catch (e) {
      notifyError(notify, e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      {canWrite ? (
        <Button label="app.excel.template" disabled={busy} onClick={() => void save(templatePath(list), `${list}-template.xlsx`)} data-testid={`excel-template-${list}`}>
          <DownloadIcon />
        </Button>
      ) : null}
      {canWrite ? (
        <Button label="app.excel.import" onClick={() => navigate(`/excel/${list}`)} data-testid={`excel-import-${list}`}>
          <UploadFileIcon />
        </Button>
      ) : null}
      <Button label="app.excel.export" disabled={busy} onClick={() => void save(exportPath(list), `${list}.xlsx`)} data-testid={`excel-export-${list}`} title={translate("app.excel.export_hint")}>
        <GridOnIcon />
      </Button>
    </>
  );
}

/** The list's toolbar (filters, create) with the Excel actions. */
export function ExcelListActions({ list }: { list: ExcelList }) {
  return (
    <TopToolbar>
      <FilterButton />
      <CreateButton />
      <ExcelActions list={list} />
    </TopToolbar>
  );
}
