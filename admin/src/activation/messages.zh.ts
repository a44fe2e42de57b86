/** First sign-in with an activation code (简体中文). */
export default {
  app: {
    activation: {
      download: "下载激活码表（%{count} 个）",
      sheet_help: "新建的 %{count} 个账号没有密码：每人一个一次性激活码，14 天内有效。请下载激活码表，单独交给本人；本人在登录页“使用激活码”设置自己的密码。",
      reissue: "重新生成激活码",
      reissue_title: "为 %{name} 生成新激活码",
      reissue_confirm: "生成一个新的一次性激活码（14 天内有效），旧激活码随即作废；当前密码在新码被使用前仍然有效。激活码只显示这一次。",
      reissued_help: "请把激活码单独交给本人，有效期至 %{until}（北京时间）。关闭后无法再查看。",
      link: "首次登录？使用激活码",
      title: "使用激活码首次登录",
      help: "管理员导入账号后会交给您一个一次性激活码。输入用户名和激活码，并设置您自己的密码。",
      code: "激活码",
      password: "设置密码",
      password_help: "至少 %{min} 位，只有您自己知道",
      repeat: "再次输入密码",
      mismatch: "两次输入的密码不一致",
      submit: "设置密码并登录",
      back: "返回登录",
      refused: "用户名或激活码不正确，或激活码已使用、已过期。请向管理员索取新的激活码。",
      invalid: "请检查输入：用户名只含字母、数字、_ . -，激活码为 16 位字母和数字，密码至少 10 位。",
      signin_failed: "密码已设置，但自动登录失败：请用新密码登录。",
    },
  },
};
