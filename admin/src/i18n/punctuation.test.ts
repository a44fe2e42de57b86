import { describe, it, expect } from "vitest";
import zh from "./zh.ts";
import en from "./en.ts";

/**
 * Punctuation of the message files. Chinese messages use full-width punctuation and never two
 * marks in a row ("。。", "：:", "，。"), which is what concatenating a message that already ends
 * with a mark produces; English ones never repeat a mark ("..", ": :") — "..." excepted.
 */
function leaves(tree: unknown, prefix = ""): [string, string][] {
  if (tree === null || typeof tree !== "object") return [[prefix, String(tree)]];
  return Object.entries(tree as Record<string, unknown>).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k));
}

const ZH_MARKS = "。，、；：！？,;:!?";
const doubled = (marks: string) => new RegExp(`[${marks}]\\s*[${marks}]`);
/** placeholders that carry a whole sentence (an error message, a reason): their own end mark must not be doubled */
const SENTENCE_THEN_MARK = /%\{(message|error|reason|detail|details)\}[。．.!！]/;
const CJK_THEN_ASCII_COLON = /[\u3400-\u9fff]\s?[:;]/;

describe("message punctuation", () => {
  it("never doubles a mark in Chinese, nor ends an interpolated sentence with another", () => {
    const bad = leaves(zh).filter(([, v]) => doubled(ZH_MARKS).test(v.replace(/\.\.\./g, "…")) || SENTENCE_THEN_MARK.test(v));
    expect(bad).toEqual([]);
  });

  it("uses full-width colons and semicolons after Chinese text", () => {
    const bad = leaves(zh).filter(([k, v]) => !k.startsWith("ra.") && CJK_THEN_ASCII_COLON.test(v));
    expect(bad).toEqual([]);
  });

  it("never doubles a mark in English", () => {
    // the same mark twice (a list of characters such as "digits, . _ or -" is fine)
    const bad = leaves(en).filter(([, v]) => /([.,;:!?])\s*\1/.test(v.replace(/\.\.\./g, "…")) || SENTENCE_THEN_MARK.test(v));
    expect(bad).toEqual([]);
  });

  it("catches what it is meant to catch", () => {
    expect(doubled(ZH_MARKS).test("保存前请先修正：:")).toBe(true);
    expect(doubled(ZH_MARKS).test("已保存。。")).toBe(true);
    expect(SENTENCE_THEN_MARK.test("导入失败：%{message}。")).toBe(true);
    expect(CJK_THEN_ASCII_COLON.test("开始时间: 08:30")).toBe(true);
    expect(doubled(ZH_MARKS).test("已保存。")).toBe(false);
  });
});
