import { describe, expect, it } from 'vitest';
import type { TurnInfo } from '../../src/shared/bot-contract.js';
import { fixedClock } from '../../src/shared/clock.js';
import { adaptiveCards } from '../support/connector-stand-in.js';
import { teamsPerson } from '../support/activities.js';
import { useHub } from '../support/hub-harness.js';

/**
 * The phrasing table: what staff type → which intent answers, through the real app (sample
 * catalogue, Harmony profile, every registered feature). Typos, abbreviations, and messages meant
 * for the features still to come are in it. `did_you_mean:a,b` means both are offered; `not_sure`
 * means nothing scored high enough.
 */
const PHRASINGS: ReadonlyArray<[string, string]> = [
  // home and people
  ['help', 'home.help'],
  ['Hi!', 'home.help'],
  ['hello there', 'home.help'],
  ['what can you do', 'home.help'],
  ['thanks', 'home.thanks'],
  ['thank you so much', 'home.thanks'],
  ['cheers', 'home.thanks'],
  ['who am I?', 'people.who_am_i'],
  ['what are my roles', 'people.who_am_i'],
  // CPD search: questions, bare topics, typos, abbreviations, audiences, dates
  ['What CPD is on next month?', 'cpd.search'],
  ["what's on this term", 'cpd.search'],
  ['any phonics training?', 'cpd.search'],
  ['phonix trainning for reception staff', 'cpd.search'],
  ['phonics', 'cpd.search'],
  ['phonix', 'cpd.search'],
  ['safegaurding', 'cpd.search'],
  ['subject leadership', 'cpd.search'],
  ['subjct leader programme', 'cpd.search'],
  ['leadership development for new heads', 'cpd.search'],
  ['leadership training', 'cpd.search'],
  ['SENCO training', 'cpd.search'],
  ['courses for SENDCos', 'cpd.search'],
  ['CPD for TAs next month', 'cpd.search'],
  ['TA training', 'cpd.search'],
  ['ECT induction', 'cpd.search'],
  ['NQT induction', 'cpd.search'],
  ['ECF', 'cpd.search'],
  ['EYFS', 'cpd.search'],
  ['early years courses in the spring term', 'cpd.search'],
  ['behavior managment', 'cpd.search'],
  ['metacognitoin', 'cpd.search'],
  ['oracy', 'cpd.search'],
  ['vocab', 'cpd.search'],
  ['RSE', 'cpd.search'],
  ['KCSIE update', 'cpd.search'],
  ['attendence', 'cpd.search'],
  ['any astrophysics courses?', 'cpd.search'],
  ['training in the summer term', 'cpd.search'],
  // CPD bookings
  ['my bookings', 'cpd.my_bookings'],
  ['show me my bookings', 'cpd.my_bookings'],
  ['what have I booked?', 'cpd.my_bookings'],
  ['cancel my booking', 'cpd.my_bookings'],
  ["I can't make my course next week", 'cpd.my_bookings'],
  ['leave the waitlist', 'cpd.my_bookings'],
  // networks and HLCs (not built yet)
  ['join a network', 'communities.not_available'],
  ['which HLC am I in', 'communities.not_available'],
  ['Harmony Learning Communities', 'communities.not_available'],
  ['when is the next network meeting', 'communities.not_available'],
  ['netwrok meetings', 'communities.not_available'],
  // announcements
  ['post an announcement', 'announcements.not_available'],
  ['any news from the Development Team?', 'announcements.not_available'],
  ['latest newsletter', 'announcements.not_available'],
  // resources
  ['search the URL', 'resources.not_available'],
  ['resource library', 'resources.not_available'],
  ['slides from the training', 'resources.not_available'],
  ['where are the worksheets', 'resources.not_available'],
  // inclusion visits (a registered feature: its stand-in stepped aside)
  ['request an inclusion visit', 'inclusion-visits.request'],
  ['book an inclusion support visit for my academy', 'inclusion-visits.request'],
  ['ISV', 'inclusion-visits.request'],
  ['I need an ISV for Year 4', 'inclusion-visits.request'],
  ['can someone from the inclusion team visit us', 'inclusion-visits.request'],
  ['reqest an inclsuion vist', 'inclusion-visits.request'],
  ['we need early help from the inclusion service, please visit', 'inclusion-visits.request'],
  ['my visit requests', 'inclusion-visits.mine'],
  ['show my inclusion visits', 'inclusion-visits.mine'],
  ['open visit requests', 'inclusion-visits.open'],
  ['open visit requests urgent north hub', 'inclusion-visits.open'],
  ['pending inclusion visits', 'inclusion-visits.open'],
  ['inclusion training for SENCOs', 'cpd.search'],
  ['SEND courses', 'cpd.search'],
  // commissions
  ['how is our commission going', 'commissions.not_available'],
  ['bespoke support for my school', 'commissions.not_available'],
  ['comission progress', 'commissions.not_available'],
  // CPD follow-up
  ['my CPD', 'cpd.my_cpd'],
  ['my cpd record', 'cpd.my_cpd'],
  ['show me my CPD history', 'cpd.my_cpd'],
  ['how many hours of CPD have I done', 'cpd.my_cpd'],
  ['export my cpd record as csv', 'cpd.my_cpd'],
  ['add external cpd from my NPQ', 'cpd.my_cpd'],
  ['certificate for the DSL course', 'cpd.my_cpd'],
  ['my goals', 'cpd.my_cpd'],
  ['give feedback', 'cpd.feedback'],
  ['leave feedback on the phonics session', 'cpd.feedback'],
  ['feedback', 'cpd.feedback'],
  ['take the register for my session', 'cpd.register'],
  ['register for phonics', 'cpd.register'],
  ['who attended the DSL update', 'cpd.register'],
  ['evaluation summary for phonics', 'cpd.evaluation_summary'],
  ['feedback results', 'cpd.evaluation_summary'],
  ['mute reminders', 'cpd.reminders_mute'],
  ['turn my reminders back on', 'cpd.reminders_mute'],
  ['cancel session phonics', 'cpd.change_session'],
  ['move the course DSL update', 'cpd.change_session'],
  ['cancel my phonics session', 'cpd.my_bookings'],
  // two close readings
  ['find resources on vocabulary', 'did_you_mean:cpd.search,resources.not_available'],
  ['resources for phonics', 'did_you_mean:cpd.search,resources.not_available'],
  // nothing to go on
  ['asdfgh', 'not_sure'],
  ['send me the minutes', 'not_sure'],
  ['what is the weather like', 'not_sure'],
  ['please', 'not_sure'],
];

describe('routing chat messages to the feature that should answer', () => {
  const h = useHub({ env: { SAMPLE_DATA: 'on' }, clock: fixedClock('2026-11-23T10:00:00Z') });
  const person = teamsPerson('Ola Nowak', 'b0000000-0000-4000-8000-000000000001');
  const turn: TurnInfo = {
    speaker: { id: person.id, aadObjectId: person.aadObjectId, name: person.name, tenantId: undefined },
    conversation: { id: 'a:1', scope: 'personal', teamId: undefined },
    locale: 'en-GB',
  };

  it(`has at least 60 phrasings (${PHRASINGS.length})`, () => {
    expect(PHRASINGS.length).toBeGreaterThanOrEqual(60);
  });

  it.each(PHRASINGS)('"%s" → %s', async (text, expected) => {
    const { decision } = await h.hub.router.decide(turn, text);
    const got = decision.kind === 'answer' ? decision.intent : decision.kind === 'did_you_mean' ? `did_you_mean:${[...decision.intents].sort().join(',')}` : 'not_sure';
    expect(got, JSON.stringify(decision.scores.slice(0, 3))).toBe(expected);
  });

  it('asks the registered inclusion-visits feature, not its not-yet-available stand-in', async () => {
    const { decision } = await h.hub.router.decide(turn, 'request an inclusion visit');
    const intents = decision.scores.map((s) => s.intent);
    expect(intents).toContain('inclusion-visits.request');
    expect(intents).not.toContain('inclusion-visits.not_available');
    expect(intents).toContain('communities.not_available');
  });

  it('offers "Did you mean…" as one button per reading, each naming its intent, and the button answers with that reading', async () => {
    const message = h.activities.message({ text: 'find resources on vocabulary', from: person });
    await h.post(message);
    const [card] = adaptiveCards((await h.connector.waitForDelivery(message.conversation.id)).body);
    const body = JSON.stringify(card);
    expect(body).toContain('Did you mean');
    const buttons = (card.body as Array<{ type: string; actions?: Array<{ title: string; data: { prompt: string; intent: string } }> }>)
      .flatMap((b) => b.actions ?? []);
    expect(buttons.map((b) => b.data.intent).sort()).toEqual(['cpd.search', 'resources.not_available']);
    expect(buttons.find((b) => b.data.intent === 'cpd.search')!.title).toBe('CPD courses on vocabulary');

    h.connector.clear();
    const press = h.activities.message({ text: '', from: person, value: buttons.find((b) => b.data.intent === 'resources.not_available')!.data, overrides: { text: undefined } });
    await h.post(press);
    const reply = await h.connector.waitForDelivery(press.conversation.id);
    expect(JSON.stringify(reply.body)).toContain('not available in Development Hub yet');
    expect(JSON.stringify(reply.body)).toContain('URL team in Teams');
  });

  it('logs each routing decision at debug with intent scores, and never the message text', async () => {
    const message = h.activities.message({ text: 'phonix trainning for reception staff', from: person });
    await h.post(message);
    await h.connector.waitForDelivery(message.conversation.id);
    const routed = h.logs.filter((l) => l.msg === 'message routed');
    expect(routed.length).toBeGreaterThan(0);
    expect(routed.every((l) => l.level === 20)).toBe(true);
    expect(routed.at(-1)!['scores']).toEqual(expect.arrayContaining([expect.stringMatching(/^cpd\.search=0\.\d\d$/)]));
    expect(JSON.stringify(h.logs)).not.toContain('phonix');
    expect(JSON.stringify(h.logs.filter((l) => l.level >= 30))).not.toContain('reception staff');
  });
});
