/** API keys: the channel grant (police / hotline). */
export default {
  app: {
    api_keys: {
      channels_help: "合作应用默认只能以“合作应用”渠道上报；勾选后，此密钥上报的事件可标为公安转办或热线（视同来自公安或 12345 热线）",
    },
  },
  resources: {
    "api-keys": {
      fields: {
        channels: "授权上报渠道",
      },
    },
  },
};
