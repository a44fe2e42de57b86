/**
 * Every key of the one table is built here and nowhere else (see docs/data-model.md).
 * Key case is kept exactly as written.
 */
export const keys = {
  meta: "META",

  unit: (id: string) => ({ pk: `UNIT#${id}`, sk: "META" }),
  unitCode: (code: string) => ({ pk: `UNITCODE#${code}`, sk: "META" }),
  /** gsi1: the whole tree ordered by materialized path (subtree = begins_with(path)) */
  unitTree: (path: string) => ({ gsi1pk: "UNITS", gsi1sk: path }),
  /** gsi2: children of a unit ordered by code */
  unitChild: (parentId: string, code: string) => ({ gsi2pk: `CHILDREN#${parentId}`, gsi2sk: code }),
  /** gsi3: every unit ordered by code (search by code prefix) */
  unitByCode: (code: string) => ({ gsi3pk: "UNITCODES", gsi3sk: code }),

  user: (id: string) => ({ pk: `USER#${id}`, sk: "META" }),
  username: (name: string) => ({ pk: `USERNAME#${name}`, sk: "META" }),
  userList: (username: string) => ({ gsi1pk: "USERS", gsi1sk: username }),
  /** one row per role assignment, to find the active staff of a unit */
  staff: (userId: string, role: string, unitId: string) => ({ pk: `USER#${userId}`, sk: `ROLE#${role}#${unitId}` }),
  staffOfUnit: (unitId: string, userId: string) => ({ gsi2pk: `STAFF#${unitId}`, gsi2sk: userId }),

  refreshToken: (hash: string) => ({ pk: `REFRESH#${hash}`, sk: "META" }),

  apiKey: (hash: string) => ({ pk: `APIKEY#${hash}`, sk: "META" }),
  apiKeyList: (createdAt: string, id: string) => ({ gsi1pk: "APIKEYS", gsi1sk: `${createdAt}#${id}` }),
  apiKeyById: (id: string) => ({ gsi2pk: `APIKEYID#${id}`, gsi2sk: "META" }),

  rateWindow: (bucket: string, window: string) => ({ pk: `RATE#${bucket}`, sk: window }),

  job: (id: string) => ({ pk: `JOB#${id}`, sk: "META" }),
  jobList: (createdAt: string, id: string) => ({ gsi1pk: "JOBS", gsi1sk: `${createdAt}#${id}` }),

  audit: (month: string, id: string) => ({ pk: `AUDIT#${month}`, sk: id }),

  migration: (id: string) => ({ pk: "MIGRATION", sk: id }),
  seed: (name: string) => ({ pk: "SEED", sk: name }),
} as const;
