/** Unit screens: import file errors (English); the base tree is in i18n/en.ts. */
export default {
  app: {
    import: {
      file: {
        where: "%{at}: %{what}",
        what: "%{what}",
        at: "line %{line}, column %{column}",
        invalid_json: "The file is not valid JSON: %{syntax}",
        not_feature_collection: "The file is not a GeoJSON FeatureCollection (found: %{found})",
        csv_empty: "The CSV file is empty",
        csv_missing_columns: "The CSV header lacks required columns: %{missing}",
        csv_unclosed_quote: "A quoted field is not closed",
        csv_text_after_quote: "Text after a closing quote (a quote inside quotes is written twice)",
        syntax: {
          InvalidSymbol: "an unexpected character",
          InvalidNumberFormat: "a malformed number",
          PropertyNameExpected: "a property name in double quotes expected here (an extra comma?)",
          ValueExpected: "a value expected here (an extra comma?)",
          ColonExpected: "':' expected",
          CommaExpected: "',' expected",
          CloseBraceExpected: "'}' expected",
          CloseBracketExpected: "']' expected",
          EndOfFileExpected: "text after the end of the JSON value",
          InvalidCommentToken: "comments are not allowed in JSON",
          UnexpectedEndOfComment: "an unterminated comment",
          UnexpectedEndOfString: "a string is not closed",
          UnexpectedEndOfNumber: "a number is cut short",
          InvalidUnicode: "a malformed \\u escape",
          InvalidEscapeCharacter: "an invalid escape character",
          InvalidCharacter: "a control character (such as a line break) inside a string",
        },
      },
    },
  },
};
