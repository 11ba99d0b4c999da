/**
 * Every inbound activity passes through here once, at the HTTP edge, before the adapter, the Teams AI
 * Application, the conversation-reference store or any feature sees it. What comes out is what the
 * rest of the app may rely on:
 * - every string is well-formed UTF-16 without NUL (PostgreSQL text and jsonb refuse both);
 * - Entra object ids and tenant ids are lower-case GUIDs (Teams always sends GUIDs; the database
 *   compares them exactly), or the activity is refused;
 * - ids are bounded (an id cut short would address someone else, so an over-long one is refused);
 * - display names carry no control or bidi-override characters and are capped;
 * - message text and card data are capped, so no feature, log line or row receives megabytes.
 * Pure: no I/O, no botbuilder.
 */
export type NormalisedActivity = Record<string, unknown> & { type: string };

export type Normalised = { ok: true; activity: NormalisedActivity } | { ok: false; reason: string };

export const ACTIVITY_LIMITS = {
  idLength: 1024,
  nameLength: 256,
  textLength: 4000,
  // Above every feature's own limit on a field (at most 2,000 today), so an over-long answer is refused
  // by the feature with "at most N characters" and the form's values kept, never silently cut here.
  dataStringLength: 8000,
  dataArrayItems: 100,
  dataObjectKeys: 100,
  depth: 12,
  listItems: 50,
} as const;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const LOCALE = /^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8}){0,4}$/;
// C0/C1 controls, bidi overrides/isolates, zero-width and BOM characters: never part of a person's name.
// eslint-disable-next-line no-control-regex
const NAME_JUNK = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

class Refused extends Error {}

function refuse(reason: string): never {
  throw new Refused(reason);
}

/** Well-formed, NUL-free: what PostgreSQL can store. */
export function cleanString(value: string): string {
  return value.replace(LONE_SURROGATE, '\ufffd').replaceAll('\u0000', '');
}

/** A display name as people should see it: no controls, single spaces, at most `nameLength` characters. */
export function cleanName(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const cleaned = cleanString(value).replace(NAME_JUNK, ' ').replace(/\s+/g, ' ').trim();
  return Array.from(cleaned).slice(0, ACTIVITY_LIMITS.nameLength).join('');
}

function cap(value: string, length: number): string {
  return value.length <= length ? value : value.slice(0, length).replace(LONE_SURROGATE, '');
}

/** Strings cleaned and capped, lists and objects bounded, depth limited: for card data and other free-form parts. */
function cleanData(value: unknown, depth: number, limits: { stringLength: number }): unknown {
  if (depth > ACTIVITY_LIMITS.depth) refuse('nested too deeply');
  if (typeof value === 'string') return cap(cleanString(value), limits.stringLength);
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.slice(0, ACTIVITY_LIMITS.dataArrayItems).map((v) => cleanData(v, depth + 1, limits));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value).slice(0, ACTIVITY_LIMITS.dataObjectKeys)) {
    // JSON.parse makes "__proto__" an own key; assigning it would replace the object's prototype.
    if (key === '__proto__') continue;
    out[cap(cleanString(key), 200)] = cleanData(v, depth + 1, limits);
  }
  return out;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function guid(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') refuse(`${field} is not a string`);
  const lower = value.trim().toLowerCase();
  if (!GUID.test(lower)) refuse(`${field} is not a GUID`);
  return lower;
}

function boundedId(value: unknown, field: string, required = false): string | undefined {
  if (value === undefined || value === null) {
    if (required) refuse(`${field} is missing`);
    return undefined;
  }
  if (typeof value !== 'string') refuse(`${field} is not a string`);
  const cleaned = cleanString(value);
  if (cleaned.length > ACTIVITY_LIMITS.idLength) refuse(`${field} is too long`);
  if (required && cleaned.trim() === '') refuse(`${field} is empty`);
  return cleaned;
}

/** A ChannelAccount (from, recipient, a member added or removed). */
function account(value: unknown, field: string, options: { required: boolean; strictGuid: boolean }): Record<string, unknown> | undefined {
  const raw = record(value);
  if (!raw) {
    if (options.required) refuse(`${field} is missing`);
    return undefined;
  }
  const out: Record<string, unknown> = { ...(cleanData(raw, 1, { stringLength: ACTIVITY_LIMITS.nameLength }) as Record<string, unknown>) };
  out.id = boundedId(raw.id, `${field}.id`, options.required);
  if ('name' in raw) out.name = cleanName(raw.name) ?? '';
  if ('aadObjectId' in raw) {
    if (options.strictGuid) out.aadObjectId = guid(raw.aadObjectId, `${field}.aadObjectId`);
    else {
      const lower = typeof raw.aadObjectId === 'string' ? raw.aadObjectId.trim().toLowerCase() : '';
      out.aadObjectId = GUID.test(lower) ? lower : undefined;
    }
  }
  return out;
}

function accounts(value: unknown, field: string): unknown {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) refuse(`${field} is not a list`);
  return value.slice(0, ACTIVITY_LIMITS.listItems).map((m, i) => account(m, `${field}[${i}]`, { required: false, strictGuid: false })).filter(Boolean);
}

function conversation(value: unknown): Record<string, unknown> {
  const raw = record(value) ?? refuse('conversation is missing');
  const out = { ...(cleanData(raw, 1, { stringLength: ACTIVITY_LIMITS.nameLength }) as Record<string, unknown>) };
  out.id = boundedId(raw.id, 'conversation.id', true);
  if ('name' in raw) out.name = cleanName(raw.name);
  if ('tenantId' in raw) out.tenantId = guid(raw.tenantId, 'conversation.tenantId');
  return out;
}

function channelData(value: unknown): unknown {
  const raw = record(value);
  if (!raw) return value === undefined ? undefined : {};
  const out = cleanData(raw, 1, { stringLength: ACTIVITY_LIMITS.dataStringLength }) as Record<string, unknown>;
  const tenant = record(raw.tenant);
  if (tenant) out.tenant = { ...(out.tenant as Record<string, unknown>), id: guid(tenant.id, 'channelData.tenant.id') };
  for (const part of ['team', 'channel'] as const) {
    const place = record(raw[part]);
    if (!place) continue;
    out[part] = {
      ...(out[part] as Record<string, unknown>),
      id: boundedId(place.id, `channelData.${part}.id`),
      ...('name' in place ? { name: cleanName(place.name) } : {}),
      ...('aadGroupId' in place ? { aadGroupId: guid(place.aadGroupId, `channelData.${part}.aadGroupId`) } : {}),
    };
  }
  return out;
}

function validDate(value: unknown): boolean {
  return typeof value === 'string' && value.length <= 64 && !Number.isNaN(Date.parse(value));
}

/** Normalises one activity (already known to be a JSON object with the channel envelope), or says why it is refused. */
export function normaliseActivity(body: Record<string, unknown>): Normalised {
  try {
    const out = cleanData(body, 0, { stringLength: ACTIVITY_LIMITS.dataStringLength }) as Record<string, unknown>;
    if (typeof body.type !== 'string' || body.type.length > 64) refuse('type is not a short string');
    out.type = body.type;
    for (const field of ['id', 'replyToId', 'channelId'] as const) {
      if (field in body) out[field] = boundedId(body[field], field);
    }
    if (typeof body.name === 'string') out.name = cap(cleanString(body.name), 256);
    out.serviceUrl = boundedId(body.serviceUrl, 'serviceUrl', true);
    out.from = account(body.from, 'from', { required: true, strictGuid: true });
    out.recipient = account(body.recipient, 'recipient', { required: true, strictGuid: true });
    out.conversation = conversation(body.conversation);
    if ('membersAdded' in body) out.membersAdded = accounts(body.membersAdded, 'membersAdded');
    if ('membersRemoved' in body) out.membersRemoved = accounts(body.membersRemoved, 'membersRemoved');
    if ('channelData' in body) out.channelData = channelData(body.channelData);
    if (typeof body.text === 'string') out.text = cap(cleanString(body.text), ACTIVITY_LIMITS.textLength);
    else delete out.text;
    if (!(typeof body.locale === 'string' && LOCALE.test(body.locale))) delete out.locale;
    for (const field of ['timestamp', 'localTimestamp', 'expiration'] as const) {
      if (field in body && !validDate(body[field])) delete out[field];
    }
    for (const list of ['entities', 'attachments'] as const) {
      if (list in body && !Array.isArray(body[list])) delete out[list];
    }
    return { ok: true, activity: out as NormalisedActivity };
  } catch (error) {
    if (error instanceof Refused) return { ok: false, reason: error.message };
    throw error;
  }
}
