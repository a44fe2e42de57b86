/**
 * "拍照" for the report form on a phone: a file input with `capture="environment"` opens the back
 * camera directly; the photo joins the form's photos (the same value the drop zone of
 * common/PhotosInput.tsx fills, so it is previewed, checked and uploaded the same way). The drop
 * zone stays for choosing existing photos and voice notes (a `capture` there would hide the gallery).
 */
import PhotoCameraIcon from "@mui/icons-material/PhotoCamera";
import { Button } from "@mui/material";
import { useFormContext } from "react-hook-form";
import { useTranslate } from "react-admin";

export const CameraButton = ({ source = "photos" }: { source?: string }) => {
  const translate = useTranslate();
  const { getValues, setValue } = useFormContext();
  const take = (files: FileList | null) => {
    const shot = [...(files ?? [])].map((rawFile) => ({ rawFile, src: URL.createObjectURL(rawFile), title: rawFile.name }));
    if (!shot.length) return;
    const current = getValues(source);
    const list = Array.isArray(current) ? current : current ? [current] : [];
    setValue(source, [...list, ...shot], { shouldDirty: true, shouldValidate: true });
  };
  return (
    <Button component="label" variant="outlined" startIcon={<PhotoCameraIcon />} data-testid="report-camera" sx={{ alignSelf: "flex-start", mb: 1 }}>
      {translate("app.cases.take_photo")}
      <input
        hidden
        type="file"
        accept="image/*"
        capture="environment"
        data-testid="report-camera-input"
        onChange={(e) => {
          take(e.target.files);
          e.target.value = "";
        }}
      />
    </Button>
  );
};
