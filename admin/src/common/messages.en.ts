/** Messages of the shared name labels (common/NameLabels.tsx) (English). */
export default {
  app: {
    names: {
      me_named: "%{name} (me)",
    },
  },
};
