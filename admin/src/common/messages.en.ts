/** Messages of the shared name labels (common/NameLabels.tsx) (English). */
export default {
  app: {
    calendar: {
      field_error: "%{field}: %{message}",
    },
    names: {
      me_named: "%{name} (me)",
    },
  },
};
