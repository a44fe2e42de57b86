/** Case desk messages added for field work (English); the base tree is in i18n/en.ts. */
export default {
  app: {
    cases: {
      take_photo: "Take a photo",
      use_my_location: "Use my location",
      no_location: "Could not get your position: pick it on the map or type the coordinates",
      queues: {
        reported: "Reported by me",
      },
    },
  },
};
