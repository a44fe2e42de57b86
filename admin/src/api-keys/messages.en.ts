/** API keys: the channel grant (police / hotline). */
export default {
  app: {
    api_keys: {
      channels_help: "A partner key reports on the “partner” channel only; tick a channel to let this key file cases as police referrals or hotline tickets (treated as coming from the police or the 12345 hotline)",
    },
  },
  resources: {
    "api-keys": {
      fields: {
        channels: "Granted report channels",
      },
    },
  },
};
