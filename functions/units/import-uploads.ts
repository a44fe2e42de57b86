import { api, reply } from "../http.ts";
import { parse } from "../../core/validate.ts";
import { ImportUploadRequest, presignImportUpload } from "../../core/unit/import-upload.ts";

/** `POST /v1/units/import-uploads {contentType, size}`: a presigned PUT for an import file larger than a request body. */
export const handler = api(async (req) => reply(201, await presignImportUpload(req.principal, parse(ImportUploadRequest, req.body, "upload"), req.now)));
