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
  // CPD search: questions, bare topics (a bare topic the trust knows is also a resources topic: both are offered), typos, abbreviations, audiences, dates
  ['What CPD is on next month?', 'cpd.search'],
  ["what's on this term", 'cpd.search'],
  ['any phonics training?', 'cpd.search'],
  ['phonix trainning for reception staff', 'cpd.search'],
  ['phonics', 'did_you_mean:cpd.search,resources.search'],
  ['phonix', 'cpd.search'],
  ['safegaurding', 'did_you_mean:cpd.search,resources.search'],
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
  ['ECF', 'did_you_mean:cpd.search,resources.search'],
  ['EYFS', 'did_you_mean:cpd.search,resources.search'],
  ['early years courses in the spring term', 'cpd.search'],
  ['behavior managment', 'did_you_mean:cpd.search,resources.search'],
  ['metacognitoin', 'did_you_mean:cpd.search,resources.search'],
  ['oracy', 'did_you_mean:cpd.search,resources.search'],
  ['vocab', 'did_you_mean:cpd.search,resources.search'],
  ['RSE', 'did_you_mean:cpd.search,resources.search'],
  ['KCSIE update', 'cpd.search'],
  ['attendence', 'did_you_mean:cpd.search,resources.search'],
  ['any astrophysics courses?', 'cpd.search'],
  ['training in the summer term', 'cpd.search'],
  // CPD bookings
  ['my bookings', 'cpd.my_bookings'],
  ['show me my bookings', 'cpd.my_bookings'],
  ['what have I booked?', 'cpd.my_bookings'],
  ['cancel my booking', 'cpd.my_bookings'],
  ["I can't make my course next week", 'cpd.my_bookings'],
  ['leave the waitlist', 'cpd.my_bookings'],
  // networks, HLCs and other communities
  ['networks', 'communities.ask'],
  ['HLCs', 'communities.ask'],
  ['what is there for EYFS?', 'communities.ask'],
  ['anything for early years staff?', 'communities.ask'],
  ['join the SENDCO network', 'communities.ask'],
  ['join the SENCo hub network please', 'communities.ask'],
  ['sign me up for the reading HLC', 'communities.ask'],
  ['leave the maths network', 'communities.ask'],
  ['my networks', 'communities.ask'],
  ['which HLC am I in', 'communities.ask'],
  ['Harmony Learning Communities', 'communities.ask'],
  ['when is the next network meeting', 'communities.ask'],
  ['netwrok meetings', 'communities.ask'],
  ['workhubs', 'communities.ask'],
  ['peer inquiry teams', 'communities.ask'],
  ['join a network', 'communities.ask'],
  // announcements
  ['post an announcement', 'announcements.new'],
  ['new announcement', 'announcements.new'],
  ['write a newsletter for the maths network', 'announcements.new'],
  ['announce the SENDCO network meeting', 'announcements.new'],
  ['my announcements', 'announcements.mine'],
  ['any news from the Development Team?', 'announcements.recent'],
  ['latest newsletter', 'announcements.recent'],
  ['announcements', 'announcements.recent'],
  // resources
  ['search the URL', 'resources.search'],
  ['resource library', 'resources.search'],
  ['slides from the training', 'resources.search'],
  ['where are the worksheets', 'resources.search'],
  ['resources on vocabulary', 'resources.search'],
  ['find phonics videos', 'resources.search'],
  ['EEF guidance on teaching assistants', 'resources.search'],
  ['curriculum planning documents for maths', 'resources.search'],
  ['any PDFs on metacognition?', 'resources.search'],
  ['sign in', 'resources.sign_in'],
  ['log in to the URL', 'resources.sign_in'],
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
  ['how is our commission going', 'commissions.status'],
  ['bespoke support for my school', 'commissions.status'],
  ['comission progress', 'commissions.status'],
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
  ['maths', 'resources.search'], // no maths course in the sample catalogue: only the library has it
  ['find resources on vocabulary', 'resources.search'],
  ['resources for phonics', 'resources.search'],
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
    // Every stand-in has stepped aside: CPD follow-up (registered inside the cpd feature) answers "my cpd" itself.
    expect(intents.filter((i) => i.endsWith('.not_available'))).toEqual([]);
  });

  it('offers "Did you mean…" as one button per reading, each naming its intent, and the button answers with that reading', async () => {
    const message = h.activities.message({ text: 'phonics', from: person });
    await h.post(message);
    const [card] = adaptiveCards((await h.connector.waitForDelivery(message.conversation.id)).body);
    const body = JSON.stringify(card);
    expect(body).toContain('Did you mean');
    const buttons = (card.body as Array<{ type: string; actions?: Array<{ title: string; data: { prompt: string; intent: string } }> }>)
      .flatMap((b) => b.actions ?? []);
    expect(buttons.map((b) => b.data.intent).sort()).toEqual(['cpd.search', 'resources.search']);
    expect(buttons.find((b) => b.data.intent === 'cpd.search')!.title).toBe('CPD courses on phonics');
    expect(buttons.find((b) => b.data.intent === 'resources.search')!.title).toBe('Resources on phonics');

    h.connector.clear();
    const press = h.activities.message({ text: '', from: person, value: buttons.find((b) => b.data.intent === 'cpd.search')!.data, overrides: { text: undefined } });
    await h.post(press);
    const reply = JSON.stringify((await h.connector.waitForDelivery(press.conversation.id)).body);
    expect(reply).not.toContain('Did you mean');
    expect(reply).toContain('Book');
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
