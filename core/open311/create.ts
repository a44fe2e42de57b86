import { InvalidError } from "../errors.ts";
import type { Principal } from "../auth/principal.ts";
import { reportCase } from "../case/report.ts";
import { getSettings, type Settings } from "../settings/settings.ts";
import { getUnit, unitIdByCode } from "../unit/repo.ts";
import type { Unit } from "../unit/schema.ts";
import { parse } from "../validate.ts";
import { maskPhone, phoneHash } from "../resident/phone.ts";
import { w3cTime } from "./format.ts";
import { putExtras, type Open311Extras } from "./repo-extras.ts";
import { CreateRequestInput } from "./schema-create.ts";
import { attributesOf, checkJurisdiction, findService } from "./caller.ts";

/*
 * `POST requests.[format]` apart from the reads of core/open311/service.ts: only this route reports a
 * case (core/case/report.ts with decide, locate and the outbox's SQS client); the discovery, services
 * and requests routes do not load it (issue #15, docs/deploy.md "Cold path").
 */

const maskName = (first?: string, last?: string): string | undefined => {
  const name = `${last ?? ""}${first ?? ""}`.trim();
  return name ? `${[...name][0]}${"*".repeat(Math.min(3, [...name].length - 1))}` : undefined;
};
const maskEmail = (email?: string): string | undefined => {
  if (!email) return undefined;
  const [user, domain] = email.split("@");
  return `${user.slice(0, 1)}***@${domain}`;
};

async function activeUnitByCode(code: string): Promise<Unit> {
  const id = await unitIdByCode(code);
  const unit = id ? await getUnit(id) : undefined;
  if (!unit || !unit.active) throw new InvalidError(`Unknown grid_code ${code}`, { fields: [{ path: "attribute[grid_code]", message: "unknown grid" }] });
  return unit;
}

/**
 * `POST requests.[format]`: a new case on the partner channel (the same `reportCase` as
 * `POST /v1/cases`). Contact fields are never stored in clear: names, phones and emails are
 * kept masked (the phone also as an HMAC), beside the case.
 */
export async function createRequest(p: Principal, body: unknown, now: Date, idempotencyKey?: string) {
  const raw = body && typeof body === "object" ? (body as Record<string, unknown>) : {};
  const data = parse(CreateRequestInput, raw, "service request");
  const settings = await getSettings();
  checkJurisdiction(data.jurisdiction_id, settings);
  const service = await findService(data.service_code);
  const attrs = attributesOf(raw);
  if (attrs.urgent !== undefined && attrs.urgent !== "true" && attrs.urgent !== "false") {
    throw new InvalidError("attribute[urgent] must be true or false", { fields: [{ path: "attribute[urgent]", message: "true or false" }] });
  }
  const grid = attrs.grid_code ? await activeUnitByCode(attrs.grid_code) : undefined;
  const address = data.address_string || undefined;
  let location: { lng: number; lat: number; address?: string };
  let unitId: string | undefined = grid?.id;
  if (data.lat !== undefined || data.long !== undefined) {
    if (data.lat === undefined || data.long === undefined) throw new InvalidError("lat and long must both be sent", { fields: [{ path: data.lat === undefined ? "lat" : "long", message: "required with the other" }] });
    location = { lat: Number(data.lat), lng: Number(data.long), ...(address ? { address } : {}) };
  } else if (address || data.address_id) {
    // no geocoder: the case is placed at the centroid of the given grid, the key's unit or the county; the center relocates it
    const unit = grid ?? (await fallbackUnit(p, settings));
    if (!unit.centroid) throw new InvalidError("This jurisdiction cannot place an address without coordinates; send lat and long", { fields: [{ path: "lat", message: "required" }] });
    unitId = unit.id;
    location = { lng: unit.centroid[0], lat: unit.centroid[1], address: address ?? `address_id ${data.address_id}` };
  } else {
    throw new InvalidError("A location is required: lat and long, or address_string", { fields: [{ path: "lat", message: "required" }] });
  }
  const view = await reportCase(
    p,
    {
      categoryId: service.category.id,
      description: data.description || service.category.name,
      location,
      ...(unitId ? { unitId } : {}),
      ...(attrs.urgent ? { urgent: attrs.urgent === "true" } : {}),
      channel: "partner",
      ...(data.account_id ? { origin: { ref: data.account_id } } : {}),
    },
    now,
    idempotencyKey,
  );
  const c = view.case;
  const contact = {
    name: maskName(data.first_name, data.last_name),
    phoneMasked: data.phone ? maskPhone(data.phone.replace(/\D/g, "")) : undefined,
    phoneHash: data.phone ? await phoneHash(data.phone.replace(/\D/g, "").replace(/^86(?=1\d{10}$)/, "")) : undefined,
    emailMasked: maskEmail(data.email),
  };
  const hasContact = Object.values(contact).some((v) => v !== undefined);
  if (!view.replayed && (data.media_url || data.account_id || data.device_id || data.address_id || hasContact)) {
    const extras: Open311Extras = {
      caseId: c.id,
      apiKeyId: p.id,
      ...(data.media_url ? { mediaUrl: data.media_url } : {}),
      ...(data.account_id ? { accountId: data.account_id } : {}),
      ...(data.device_id ? { deviceId: data.device_id } : {}),
      ...(data.address_id ? { addressId: data.address_id } : {}),
      ...(hasContact ? { contact: JSON.parse(JSON.stringify(contact)) } : {}),
      createdAt: now.toISOString(),
    };
    await putExtras(extras);
  }
  const due = w3cTime(c.dueAt, settings.timeZone);
  return [
    {
      service_request_id: c.id,
      service_notice: `已收到，案件编号 ${c.number}${due ? `，当前环节办理时限 ${due}` : ""}。可凭 service_request_id 查询办理进度。`,
      account_id: data.account_id ?? null,
    },
  ];
}

async function fallbackUnit(p: Principal, s: Settings): Promise<Unit> {
  const own = p.kind === "api_key" && p.unitPath ? p.unitPath.split("/").filter(Boolean).pop() : undefined;
  const id = own ?? (await unitIdByCode(s.countyCode));
  const unit = id ? await getUnit(id) : undefined;
  if (!unit) throw new InvalidError("Send lat and long: no unit to place the address in", { fields: [{ path: "lat", message: "required" }] });
  return unit;
}
