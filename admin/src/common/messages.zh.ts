/** Messages of the shared name labels (common/NameLabels.tsx) (简体中文). */
export default {
  app: {
    calendar: {
      field_error: "%{field}：%{message}",
    },
    names: {
      me_named: "%{name}（我）",
    },
  },
};
