/** Case desk messages added for field work (简体中文); the base tree is in i18n/zh.ts. */
export default {
  app: {
    cases: {
      take_photo: "拍照",
      use_my_location: "使用我的位置",
      no_location: "无法获取当前位置，请在地图上点选或填写经纬度",
      queues: {
        reported: "我上报的",
      },
    },
  },
};
