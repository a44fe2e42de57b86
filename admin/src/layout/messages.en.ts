/** Menu and layout messages (English). */
export default {
  app: {
    menu: {
      cases: "Cases",
      registry: "Registry",
      duties: "Duties",
      appraisal: "Appraisal",
      administration: "Administration",
    },
  },
};
