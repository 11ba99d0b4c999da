import { afterEach, describe, expect, it } from 'vitest';
import { ConnectorStandIn } from '../support/connector-stand-in.js';

// The connector stand-in holding the app to Teams' rate limits, driven over HTTP as the app would
// call it, with the stand-in's clock in the test's hands (no sleeping).
let standIn: ConnectorStandIn | undefined;
afterEach(async () => {
  await standIn?.close();
  standIn = undefined;
});

async function start(): Promise<{ s: ConnectorStandIn; clock: { now: number } }> {
  const clock = { now: Date.parse('2026-12-01T09:00:00Z') };
  standIn = await ConnectorStandIn.start({ now: () => clock.now });
  return { s: standIn, clock };
}

async function send(s: ConnectorStandIn, conversationId: string, text: string): Promise<Response> {
  return fetch(`${s.serviceUrl}v3/conversations/${encodeURIComponent(conversationId)}/activities`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'message', text }),
  });
}

describe('connector stand-in rate limits', () => {
  it('answers 429 with Retry-After past the app-wide rate, and accepts again once the window has moved', async () => {
    const { s, clock } = await start();
    s.enforceLimits({ app: [{ limit: 3, windowMs: 1_000 }] });

    const statuses = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await send(s, `a:${i}`, `m${i}`)).status);
    const refused = await send(s, 'a:9', 'refused');

    expect(statuses).toEqual([201, 201, 201, 429]);
    expect(refused.headers.get('retry-after')).toBe('1');
    clock.now += 1_000;
    expect((await send(s, 'a:9', 'later')).status).toBe(201);
    expect(s.counters()).toMatchObject({ accepted: 4, rejected: 2, duplicates: 0, maxAcceptedInWindow: 3 });
  });

  it("holds each conversation to its own windows, without touching other conversations'", async () => {
    const { s, clock } = await start();
    s.enforceLimits({ conversation: [{ limit: 2, windowMs: 2_000 }] });

    expect((await send(s, 'busy', '1')).status).toBe(201);
    clock.now += 500;
    expect((await send(s, 'busy', '2')).status).toBe(201);
    const third = await send(s, 'busy', '3');
    expect(third.status).toBe(429);
    // The first send leaves the window 1.5 s from now: Retry-After rounds up to whole seconds.
    expect(third.headers.get('retry-after')).toBe('2');
    expect((await send(s, 'quiet', '1')).status).toBe(201);
    // An update counts towards its conversation too.
    const update = await fetch(`${s.serviceUrl}v3/conversations/busy/activities/1`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'message', text: 'edited' }),
    });
    expect(update.status).toBe(429);
    clock.now += 1_500;
    expect((await send(s, 'busy', '3')).status).toBe(201);
    expect(s.counters().deliveredByConversation).toEqual({ busy: 3, quiet: 1 });
  });

  it('counts the same activity delivered twice to one conversation as a duplicate (not the same text elsewhere)', async () => {
    const { s } = await start();
    await send(s, 'a:1', 'Reminder: Phonics tomorrow');
    await send(s, 'a:2', 'Reminder: Phonics tomorrow');
    await send(s, 'a:1', 'Reminder: Phonics tomorrow');
    expect(s.counters()).toMatchObject({ accepted: 3, duplicates: 1, rejected: 0 });
  });

  it('reports the achieved accepted rate and serves its counters over HTTP for a bench in another process', async () => {
    const { s, clock } = await start();
    await fetch(`${s.serviceUrl}_stand-in/limits`, { method: 'POST', body: JSON.stringify({ app: [{ limit: 10, windowMs: 1_000 }] }) });
    for (let i = 0; i < 21; i += 1) {
      expect((await send(s, `a:${i}`, `m${i}`)).status).toBe(201);
      clock.now += 100; // exactly 10 per second
    }
    expect((await send(s, 'a:x', 'still in step')).status).toBe(201); // at 10 per second the window always has room

    const counters = (await (await fetch(`${s.serviceUrl}_stand-in/counters`)).json()) as { accepted: number; acceptedPerSecond: number; maxAcceptedInWindow: number };
    expect(counters.accepted).toBe(22);
    expect(counters.acceptedPerSecond).toBeCloseTo(10, 5);
    expect(counters.maxAcceptedInWindow).toBe(10);
    await fetch(`${s.serviceUrl}_stand-in/reset`, { method: 'POST' });
    expect(s.counters().accepted).toBe(0);
    expect(s.calls).toEqual([]);
  });

  it('throttles nothing when no limits are set (the default for every other test)', async () => {
    const { s } = await start();
    for (let i = 0; i < 30; i += 1) expect((await send(s, 'a:1', `m${i}`)).status).toBe(201);
    expect(s.counters().rejected).toBe(0);
  });
});
