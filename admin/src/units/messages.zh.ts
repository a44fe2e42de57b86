/** Unit screens: import file errors (简体中文); the base tree is in i18n/zh.ts. */
export default {
  app: {
    import: {
      file: {
        where: "%{at}：%{what}",
        what: "%{what}",
        at: "第 %{line} 行第 %{column} 列",
        invalid_json: "文件不是有效的 JSON：%{syntax}",
        not_feature_collection: "文件不是 GeoJSON 要素集合（FeatureCollection），实际为 %{found}",
        csv_empty: "CSV 文件是空的",
        csv_missing_columns: "CSV 表头缺少必填列：%{missing}",
        csv_unclosed_quote: "引号内的内容没有结束（缺少右引号）",
        csv_text_after_quote: "右引号后面还有多余的文字（引号内的引号要写成两个）",
        syntax: {
          InvalidSymbol: "出现了无法识别的字符",
          InvalidNumberFormat: "数字格式不对",
          PropertyNameExpected: "这里应是用双引号括起来的属性名（可能多了一个逗号）",
          ValueExpected: "这里缺少一个值（可能多了一个逗号）",
          ColonExpected: "这里缺少冒号",
          CommaExpected: "这里缺少逗号",
          CloseBraceExpected: "缺少右花括号 }",
          CloseBracketExpected: "缺少右方括号 ]",
          EndOfFileExpected: "JSON 结束后还有多余的内容",
          InvalidCommentToken: "JSON 中不允许注释",
          UnexpectedEndOfComment: "注释没有结束",
          UnexpectedEndOfString: "字符串没有结束（缺少右引号）",
          UnexpectedEndOfNumber: "数字不完整",
          InvalidUnicode: "\\u 转义格式不对",
          InvalidEscapeCharacter: "无效的转义字符",
          InvalidCharacter: "字符串中有换行等控制字符",
        },
      },
    },
  },
};
