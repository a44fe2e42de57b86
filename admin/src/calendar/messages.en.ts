/** Calendar: years without official holidays and the notice import (English). */
export default {
  app: {
    calendar_notice: {
      missing: "The working calendar has no official holidays for %{year}: deadlines in %{year} count Monday–Friday only until the State Council notice is imported.",
      import: "Import holiday notice",
      help: "One file: JSON {year, holidays, workdays}, or CSV (date,type with 休 / 班)",
      imported: "Imported %{year}: %{holidays} holidays, %{workdays} make-up working days",
    },
  },
};
