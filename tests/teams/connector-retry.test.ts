import { describe, expect, it } from 'vitest';
import { teamsPerson } from '../support/activities.js';
import { adaptiveCards } from '../support/connector-stand-in.js';
import { isWelcomeCard, useHub } from '../support/hub-harness.js';

// What happens when the Bot Connector throttles or fails. Replies go out through the lean connector
// calls (src/teams/connector-calls.ts), whose pipeline carries @azure/core-rest-pipeline's default
// retry policy, as botbuilder's ConnectorClient did: it honours Retry-After on 429/503
// (throttlingRetryStrategy) and backs off exponentially on 5xx, 3 retries.
const h = useHub();

describe('replies under throttling', () => {
  it('waits out a 429 with Retry-After and delivers the reply', async () => {
    h.connector.failNext(1, { status: 429, retryAfterSeconds: 1, kind: 'reply' });
    const message = h.activities.message({ text: 'help', from: teamsPerson('Throttled Person') });

    const answer = await h.post(message);

    expect(answer.status).toBe(200);
    const attempts = h.connector.calls.filter((c) => c.kind === 'reply');
    expect(attempts.map((c) => c.status)).toEqual([429, 201]);
    // The same activity was sent again, and not before Retry-After had passed.
    expect(attempts[1].body).toEqual(attempts[0].body);
    expect(attempts[1].at.getTime() - attempts[0].at.getTime()).toBeGreaterThanOrEqual(950);
    expect(isWelcomeCard(adaptiveCards(attempts[1].body)[0])).toBe(true);
  });

  it('retries a 503 from the connector and delivers the reply', async () => {
    h.connector.failNext(1, { status: 503, kind: 'reply' });

    await h.post(h.activities.message({ text: 'hi', from: teamsPerson('Outage Person') }));

    expect(h.connector.calls.map((c) => c.status)).toEqual([503, 201]);
    expect(isWelcomeCard(h.connector.deliveredCards()[0])).toBe(true);
  });

  it('retries a 429 that names no Retry-After (the connector client would not), with backoff', async () => {
    h.connector.failNext(2, { status: 429, kind: 'reply' });

    await h.post(h.activities.message({ text: 'help', from: teamsPerson('Bare Throttle Person') }));

    expect(h.connector.calls.map((c) => c.status)).toEqual([429, 429, 201]);
    expect(isWelcomeCard(h.connector.deliveredCards()[0])).toBe(true);
  });

  it('retries a 412 Precondition Failed from the connector', async () => {
    h.connector.failNext(1, { status: 412, kind: 'reply' });

    await h.post(h.activities.message({ text: 'help', from: teamsPerson('Precondition Person') }));

    expect(h.connector.calls.map((c) => c.status)).toEqual([412, 201]);
    expect(isWelcomeCard(h.connector.deliveredCards()[0])).toBe(true);
  });

  it('delivers on the fourth attempt after three throttled ones', async () => {
    h.connector.failNext(3, { status: 429, retryAfterSeconds: 0 });

    await h.post(h.activities.message({ text: 'help', from: teamsPerson('Patient Person') }));

    expect(h.connector.calls.map((c) => c.status)).toEqual([429, 429, 429, 201]);
    expect(isWelcomeCard(h.connector.deliveredCards()[0])).toBe(true);
  });

  it('when the reply cannot be delivered after the retries, logs the failure and tells the person something went wrong', async () => {
    h.connector.failNext(4, { status: 429, retryAfterSeconds: 0 });
    const before = h.logs.length;

    const answer = await h.post(h.activities.message({ text: 'help', from: teamsPerson('Unlucky Person') }));

    expect(answer.status).toBe(200);
    expect(h.connector.calls.map((c) => c.status)).toEqual([429, 429, 429, 429, 201]);
    const cards = h.connector.deliveredCards();
    expect(cards).toHaveLength(1);
    expect(cards[0].metadata).toEqual({ problemCode: 'unexpected' });
    expect(h.logs.slice(before).some((l) => l.msg === 'turn failed' && l.level >= 50)).toBe(true);
  });
});

// Proactive sends are not retried in-process: see tests/teams/proactive-outcomes.test.ts (the send pacer).
