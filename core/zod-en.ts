import * as z from "zod/mini";
// the one locale module itself: importing the `zod/locales` index would list every locale among the bundle inputs
import en from "zod/v4/locales/en.js";

/**
 * zod/mini (what the server's schemas are written with, for a lean cold path: docs/deploy.md "Cold
 * path") loads no locale, so every issue's message would be "Invalid input". Classic zod configured
 * English on import; this does the same, once, for every module that shows zod's messages (the API's
 * 400 details in core/validate.ts, the import and Excel row checks). Only `en` is bundled.
 */
z.config(en());
