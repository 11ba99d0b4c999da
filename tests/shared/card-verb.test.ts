import { describe, expect, it } from 'vitest';
import { z } from 'zod/v4';
import type { AdaptiveCard, TurnInfo } from '../../src/shared/bot-contract.js';
import { cardVerb } from '../../src/shared/card-verb.js';
import { problemCard } from '../../src/shared/problem-card.js';
import { fail, ok, type Failure } from '../../src/shared/result.js';

const turn: TurnInfo = {
  speaker: { id: '29:abc', aadObjectId: '00000000-0000-4000-8000-000000000001', name: 'Alex Teacher', tenantId: 't1' },
  conversation: { id: 'a:1', scope: 'personal', teamId: undefined },
  locale: 'en-GB',
};

const schema = z.object({ seatId: z.string().regex(/^s\d+$/), note: z.string().trim().max(10).default('none') });
type Code = 'seat_taken' | 'seat_missing';

/** A small "seat" service: s1 is free, s2 is taken, anything else is missing. */
function seatVerb() {
  const calls: string[] = [];
  const route = cardVerb({
    verb: 'test.seat',
    schema,
    invalid: () => problemCard({ code: 'invalid_action', title: 'Bad button', message: 'not understood' }),
    call: async (_turn, data) => {
      calls.push(data.seatId);
      if (data.seatId === 's1') return ok({ seat: data.seatId });
      return data.seatId === 's2' ? fail<Code>('seat_taken', 'Someone has it.') : fail<Code>('seat_missing', 'No such seat.');
    },
    render: (value, t, data): AdaptiveCard => ({ type: 'AdaptiveCard', version: '1.5', body: [value.seat, t.speaker.id, data.note] }),
    problem: (failure: Failure<Code>) => problemCard({ code: failure.code, title: 'Could not', message: failure.message }),
  });
  return { route, calls };
}

describe('cardVerb: parse card data → one service call → card or problem card', () => {
  it('keeps the verb it was given', () => {
    expect(seatVerb().route.verb).toBe('test.seat');
  });

  it('renders the outcome from the parsed data (defaults and trimming applied), with the turn', async () => {
    const { route, calls } = seatVerb();
    expect((await route.handle(turn, { seatId: 's1' }))['body']).toEqual(['s1', '29:abc', 'none']);
    expect((await route.handle(turn, { seatId: 's1', note: '  hi  ' }))['body']).toEqual(['s1', '29:abc', 'hi']);
    expect(calls).toEqual(['s1', 's1']);
  });

  it.each([
    ['seat_taken', 's2'],
    ['seat_missing', 's99'],
  ])('answers the expected failure %s with its problem card', async (code, seatId) => {
    const card = await seatVerb().route.handle(turn, { seatId });
    expect(card['metadata']).toEqual({ problemCode: code });
  });

  it.each([undefined, null, 'x', 17, [], {}, { seatId: 1 }, { seatId: 's1; drop' }, { seatId: 's1', note: 'x'.repeat(11) }])(
    'answers data %j that does not parse with the invalid card, without calling the service',
    async (data) => {
      const { route, calls } = seatVerb();
      expect((await route.handle(turn, data))['metadata']).toEqual({ problemCode: 'invalid_action' });
      expect(calls).toEqual([]);
    },
  );

  it('lets an outage from the service through (a throw is not an expected failure)', async () => {
    const route = cardVerb({
      verb: 'test.down',
      schema,
      invalid: () => problemCard({ code: 'invalid_action', title: 'Bad', message: 'bad' }),
      call: async () => {
        throw new Error('database down');
      },
      render: () => ({ type: 'AdaptiveCard', version: '1.5' }),
      problem: () => problemCard({ code: 'never', title: 'never', message: 'never' }),
    });
    await expect(route.handle(turn, { seatId: 's1' })).rejects.toThrow('database down');
  });
});
