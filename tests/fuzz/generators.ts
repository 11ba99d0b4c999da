import fc from 'fast-check';
import { gzipSync } from 'node:zlib';
import { CPD_BOOKING_CANCEL_VERB, CPD_BOOKING_LEAVE_WAITLIST_VERB, CPD_BOOKING_REFRESH_VERB, CPD_MY_BOOKINGS_REFRESH_VERB } from '../../src/features/cpd/booking/booking.schemas.js';
import { CPD_BOOK_VERB, CPD_SEARCH_MORE_VERB } from '../../src/features/cpd/search/search.schemas.js';
import type { TeamsActivityBuilders, TeamsPerson } from '../support/activities.js';

/** Input classes the fuzz suite draws from; the report counts requests per class. */
export type InputClass =
  | 'message'
  | 'card_action_registered_verb'
  | 'card_action_unknown_verb'
  | 'conversation_update'
  | 'other_invoke'
  | 'hostile_fields'
  | 'malformed_envelope'
  | 'not_json'
  | 'headers_and_encodings';

export interface FuzzRequest {
  inputClass: InputClass;
  headers: Record<string, string>;
  body: string | Uint8Array;
}

export const REGISTERED_VERBS = [CPD_BOOK_VERB, CPD_SEARCH_MORE_VERB, CPD_BOOKING_CANCEL_VERB, CPD_BOOKING_LEAVE_WAITLIST_VERB, CPD_BOOKING_REFRESH_VERB, CPD_MY_BOOKINGS_REFRESH_VERB];
const OFFERINGS = ['phonics-jan', 'slp-spring', 'dsl-closed', 'dsl-started', 'send-cancelled', 'crowd-5', 'crowd-30'];

/** A few people, each reachable under several spellings of one GUID, so case tricks meet the booking rules. */
const PEOPLE = Array.from({ length: 6 }, (_, i) => `c0ffee0${i}-aaaa-4bbb-8ccc-dddddddddd0${i}`);
const spelling = fc.constantFrom<(id: string) => string>(
  (id) => id,
  (id) => id.toUpperCase(),
  (id) => id.replace(/[a-f]/g, (c, at: number) => (at % 2 ? c.toUpperCase() : c)),
  (id) => ` ${id} `,
);
const person = fc.tuple(fc.constantFrom(...PEOPLE), spelling, fc.string({ maxLength: 30 })).map(([id, spell, name]): TeamsPerson => ({
  id: `29:1fuzz-${id}`,
  aadObjectId: spell(id),
  name: name || 'Fuzz Person',
}));

const json = (value: unknown): FuzzRequest['headers'] => (void value, { 'content-type': 'application/json' });
const post = (inputClass: InputClass, activity: unknown): FuzzRequest => ({ inputClass, headers: json(activity), body: JSON.stringify(activity) });

const hostileString = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('\u0000', 'a\u0000b', '\ud800', '\udfff x', '\u202eevil', '<script>', "'; drop table cpd_booking; --", '%s%n', '${7*7}'),
  fc.integer({ min: 1000, max: 100_000 }).map((n) => 'x'.repeat(n)),
);
const anyJson = fc.jsonValue({ maxDepth: 4 });

export function fuzzRequest(a: TeamsActivityBuilders): fc.Arbitrary<FuzzRequest> {
  const message = fc.tuple(person, fc.oneof(fc.constantFrom('help', 'book phonics', 'my bookings', 'search reading', 'cancel', ''), hostileString)).map(([from, text]) =>
    post('message', a.message({ text, from })),
  );
  const registered = fc
    .tuple(person, fc.constantFrom(...REGISTERED_VERBS), fc.oneof(fc.constantFrom(...OFFERINGS).map((offeringId) => ({ offeringId })), fc.dictionary(fc.string({ maxLength: 12 }), anyJson, { maxKeys: 4 })), fc.constantFrom<'manual' | 'automatic'>('manual', 'automatic'))
    .map(([from, verb, data, trigger]) => post('card_action_registered_verb', a.cardAction({ verb, data, from, trigger })));
  const unknownVerb = fc.tuple(person, hostileString, anyJson).map(([from, verb, data]) =>
    post('card_action_unknown_verb', a.cardAction({ verb, data: { data }, from })),
  );
  const conversationUpdate = fc.tuple(person, fc.integer({ min: 0, max: 3 }), fc.array(fc.record({ id: hostileString, aadObjectId: fc.option(hostileString) }), { maxLength: 3 })).map(([from, kind, members]) => {
    const activity = kind === 0 ? a.botInstalledInPersonalChat(from) : kind === 1 ? a.installationUpdate('remove', from) : a.installationUpdate('add', from);
    return post('conversation_update', kind === 3 ? { ...activity, type: 'conversationUpdate', membersAdded: members } : activity);
  });
  const otherInvoke = fc.tuple(person, fc.oneof(fc.constantFrom('composeExtension/query', 'task/fetch', 'signin/verifyState', 'actionableMessage/executeAction', 'fileConsent/invoke'), hostileString), anyJson).map(([from, name, value]) =>
    post('other_invoke', { ...a.cardAction({ verb: 'x', from }), name, value }),
  );
  // A valid activity with one field replaced by something hostile (every field the app reads).
  const fields = ['from.name', 'from.aadObjectId', 'from.id', 'conversation.id', 'conversation.tenantId', 'recipient.id', 'channelData', 'channelData.tenant.id', 'locale', 'timestamp', 'entities', 'text', 'value', 'replyToId'];
  const hostileFields = fc.tuple(person, fc.constantFrom(...fields), fc.oneof(hostileString, anyJson), fc.boolean()).map(([from, field, value, invoke]) => {
    const activity = structuredClone(invoke ? a.cardAction({ verb: CPD_BOOK_VERB, data: { offeringId: 'crowd-30' }, from }) : a.message({ text: 'help', from })) as Record<string, unknown>;
    const path = field.split('.');
    let target = activity;
    for (const part of path.slice(0, -1)) {
      if (!target[part] || typeof target[part] !== 'object') target[part] = {};
      target = target[part] as Record<string, unknown>;
    }
    target[path.at(-1)!] = value;
    return post('hostile_fields', activity);
  });
  const malformed = fc.oneof(
    anyJson.map((value) => post('malformed_envelope', value)),
    fc.tuple(person, fc.constantFrom('type', 'serviceUrl', 'channelId', 'conversation', 'from', 'recipient')).map(([from, drop]) => {
      const activity = { ...a.message({ text: 'help', from }) } as Record<string, unknown>;
      delete activity[drop];
      return post('malformed_envelope', activity);
    }),
    fc.tuple(person, fc.constantFrom('ftp://x/', 'javascript:alert(1)', 'http://', 'not a url', 'http://[::1', 'https://' + 'a'.repeat(3000) + '/')).map(([from, serviceUrl]) =>
      post('malformed_envelope', { ...a.message({ text: 'help', from }), serviceUrl }),
    ),
  );
  const notJson = fc.oneof(fc.string({ maxLength: 60 }), fc.constantFrom('{', '[[[[', '{"type":"message",', 'null', '"\\ud800"', '\u0000')).map((body) => ({
    inputClass: 'not_json' as const,
    headers: { 'content-type': 'application/json' },
    body,
  }));
  const headers = fc
    .tuple(person, fc.constantFrom('application/json', 'text/plain', 'application/json; charset=latin1', 'multipart/form-data; boundary=x', '', 'application/x-www-form-urlencoded'), fc.constantFrom('', 'gzip', 'deflate', 'br', 'identity', 'gzip, gzip'), fc.boolean())
    .map(([from, type, encoding, reallyGzip]): FuzzRequest => {
      const text = JSON.stringify(a.message({ text: 'help', from }));
      return {
        inputClass: 'headers_and_encodings',
        headers: { ...(type ? { 'content-type': type } : {}), ...(encoding ? { 'content-encoding': encoding } : {}) },
        body: encoding === 'gzip' && reallyGzip ? new Uint8Array(gzipSync(text)) : text,
      };
    });
  return fc.oneof(
    { arbitrary: message, weight: 3 },
    { arbitrary: registered, weight: 4 },
    { arbitrary: unknownVerb, weight: 1 },
    { arbitrary: conversationUpdate, weight: 1 },
    { arbitrary: otherInvoke, weight: 1 },
    { arbitrary: hostileFields, weight: 3 },
    { arbitrary: malformed, weight: 2 },
    { arbitrary: notJson, weight: 1 },
    { arbitrary: headers, weight: 1 },
  );
}
