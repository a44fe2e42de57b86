/**
 * Photos (and voice notes) to attach: chosen or dropped here, previewed, uploaded when the form is
 * sent (see common/upload.ts). The form value is react-admin's `[{rawFile, src, title}]`.
 */
import { Box } from "@mui/material";
import { FileField, FileInput, ImageField, useRecordContext, type Validator } from "react-admin";
import { ATTACHMENT_TYPES, attachmentProblem, MAX_ATTACHMENT_BYTES } from "./upload.ts";

const accept = Object.fromEntries(ATTACHMENT_TYPES.map((t) => [t, []]));

/** Every chosen file must be a photo or voice note of at most 10 MiB. */
export const validateFiles: Validator = (value: unknown) => {
  const files = (Array.isArray(value) ? value : value ? [value] : []) as { rawFile?: File }[];
  for (const f of files) {
    const problem = f.rawFile ? attachmentProblem(f.rawFile) : undefined;
    if (problem) return problem;
  }
  return undefined;
};

const validateRequiredFiles: Validator = (value: unknown) => (Array.isArray(value) && value.length ? undefined : "ra.validation.required");

const Preview = () => {
  const record = useRecordContext<{ rawFile?: File; src?: string; title?: string }>();
  if (record?.rawFile?.type.startsWith("audio/")) return <FileField source="src" title="title" />;
  return <ImageField source="src" title="title" sx={{ "& img": { maxWidth: 120, maxHeight: 90, objectFit: "cover", borderRadius: 1 } }} />;
};

export const PhotosInput = ({ source = "photos", label, required, testId = "photos-input" }: { source?: string; label?: string; required?: boolean; testId?: string }) => (
  <Box data-testid={testId} sx={{ width: "100%" }}>
    <FileInput
      source={source}
      label={label ?? "app.upload.photos"}
      multiple
      accept={accept}
      maxSize={MAX_ATTACHMENT_BYTES}
      validate={required ? [validateRequiredFiles, validateFiles] : validateFiles}
      helperText="app.upload.help"
    >
      <Preview />
    </FileInput>
  </Box>
);

/** The chosen files of a form value. */
export const filesOf = (value: unknown): File[] =>
  ((Array.isArray(value) ? value : value ? [value] : []) as { rawFile?: File }[]).map((f) => f.rawFile).filter((f): f is File => !!f);
