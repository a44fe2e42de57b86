import { describe, it, expect } from "vitest";
import { HouseholdClass, PersonTag, PlaceKind, KeyListName } from "../../../core/registry/schema.ts";
import { CreatePerson } from "../../../core/registry/schema.ts";
import { DATASETS, personalFields } from "../../../core/export/datasets.ts";
import { EventType } from "../../../core/case/schema.ts";
import { ID_NUMBER_MESSAGE, PHONE_MESSAGE, idCheckChar } from "../../../core/registry/idcard.ts";
import { issueMessage } from "../errors.ts";
import en from "./messages.en.ts";
import zh from "./messages.zh.ts";
import {
  EXPORT_DATASETS,
  HOUSEHOLD_CLASSES,
  ID_NUMBER_KEY,
  KEY_LISTS,
  PERSON_TAGS,
  PHONE_KEY,
  PLACE_KINDS,
  WEBHOOK_EVENTS,
  idNumberHint,
  pathIds,
  secondsLeft,
  validateIdNumber,
  validatePhoneNumber,
} from "./model.ts";

const first17 = "11010519491231002";
const valid = first17 + idCheckChar(first17);
const at = (tree: any, key: string) => key.split(".").reduce((t, k) => t?.[k], tree);

describe("registry console model", () => {
  it("mirrors the API's enumerations and export datasets exactly", () => {
    expect([...HOUSEHOLD_CLASSES]).toEqual(HouseholdClass.options);
    expect([...PERSON_TAGS]).toEqual(PersonTag.options);
    expect([...PLACE_KINDS]).toEqual(PlaceKind.options);
    expect([...KEY_LISTS]).toEqual(KeyListName.options);
    expect([...WEBHOOK_EVENTS]).toEqual(EventType.options);
    expect(Object.keys(EXPORT_DATASETS)).toEqual(Object.keys(DATASETS));
    for (const [name, def] of Object.entries(DATASETS)) {
      expect(EXPORT_DATASETS[name].fields, name).toEqual(Object.keys(def.fields));
      expect(EXPORT_DATASETS[name].personal, name).toEqual(personalFields(name));
    }
  });

  it("accepts and refuses ID numbers exactly as the API does, with the API's message", () => {
    const samples = [valid, valid.toLowerCase(), ` ${valid} `, first17 + (idCheckChar(first17) === "1" ? "2" : "1"), "11010519491331002X", "123", "0" + valid.slice(1)];
    for (const s of samples) {
      const api = CreatePerson.safeParse({ name: "张三", idNumber: s });
      // same verdict, and a refusal carries the API's message
      expect(api.success ? "ok" : api.error.issues[0].message, s).toBe(validateIdNumber(s) === undefined ? "ok" : ID_NUMBER_MESSAGE);
    }
    expect(at(en, ID_NUMBER_KEY)).toBe(ID_NUMBER_MESSAGE);
    expect(at(en, PHONE_KEY)).toBe(PHONE_MESSAGE);
    expect(at(zh, ID_NUMBER_KEY)).toMatch(/身份证/);
    // a refusal by the API reads the same as the inline check, in either language
    expect(issueMessage({ path: "idNumber", message: ID_NUMBER_MESSAGE, code: "custom" }, "zh-CN")).toBe(ID_NUMBER_KEY);
    expect(issueMessage({ path: "phone", message: PHONE_MESSAGE, code: "custom" }, "zh-CN")).toBe(PHONE_KEY);
    expect(issueMessage({ path: "idNumber", message: ID_NUMBER_MESSAGE, code: "custom" }, "en")).toBe(at(en, ID_NUMBER_KEY));
    expect(idNumberHint(valid)).toEqual({ birthDate: "1949-12-31", gender: "female" });
    expect(idNumberHint("123")).toBeUndefined();
  });

  it("accepts and refuses phone numbers as the API does", () => {
    for (const s of ["13800138000", "+86 138 0013 8000", "0592-1234567", "12345", "1380013800", "059212"]) {
      const api = CreatePerson.safeParse({ name: "张三", idNumber: valid, phone: s });
      expect(api.success ? "ok" : api.error.issues[0].message, s).toBe(validatePhoneNumber(s) === undefined ? "ok" : PHONE_MESSAGE);
    }
    expect(validatePhoneNumber("")).toBeUndefined();
  });

  it("has every message in both languages", () => {
    const keys = (tree: any, at = ""): string[] =>
      Object.entries(tree).flatMap(([k, v]) => (v && typeof v === "object" ? keys(v, `${at}${k}.`) : [`${at}${k}`]));
    expect(keys(zh).sort()).toEqual(keys(en).sort());
  });

  it("reads unit paths and counts down a link's validity", () => {
    expect(pathIds("/R/S/C/")).toEqual(["R", "S", "C"]);
    expect(pathIds(undefined)).toEqual([]);
    expect(secondsLeft(10_000, 2_500)).toBe(8);
    expect(secondsLeft(10_000, 12_000)).toBe(0);
  });
});
