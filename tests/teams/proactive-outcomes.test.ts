import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { RetryLaterError } from '../../src/jobs/worker.js';
import { personalChat, teamsPerson, teamsTeam } from '../support/activities.js';
import { useHub, type HubHarness } from '../support/hub-harness.js';

// What a proactive send returns or throws, through the whole app (real CloudAdapter, the
// connector stand-in answering as Teams does). Each call to Teams is made once: no in-process retry.

async function installedPerson(h: HubHarness, name: string) {
  const person = teamsPerson(name);
  await h.post(h.activities.botInstalledInPersonalChat(person));
  h.connector.clear();
  return person;
}

async function pausedUntil(h: HubHarness): Promise<number> {
  const row = await sql<{ paused_until_ms: number }>`select paused_until_ms from send_pacing where id = 'teams'`.execute(h.db);
  return Number(row.rows[0].paused_until_ms);
}

describe('proactive outcomes', () => {
  const h = useHub();

  it('sent: carries the activity id Teams gave the message', async () => {
    const person = await installedPerson(h, 'Sent Person');
    const outcome = await h.hub.notifier.sendToPerson(person.aadObjectId, { kind: 'text', text: 'You have a place' });
    const [call] = h.connector.calls;
    expect(call.status).toBe(201);
    expect(outcome).toEqual({ kind: 'sent', activityId: call.resourceId });
  });

  it('403 (app removed or blocked): unreachable, tried once, and later sends stop before calling Teams', async () => {
    const person = await installedPerson(h, 'Blocked Person');
    h.connector.failNext(1, { status: 403 });

    const outcome = await h.hub.notifier.sendToPerson(person.aadObjectId, { kind: 'text', text: 'hello' });

    expect(outcome).toEqual({ kind: 'unreachable', reason: 'app_removed_or_blocked' });
    expect(h.connector.calls.map((c) => c.status)).toEqual([403]);
    const again = await h.hub.notifier.sendToPerson(person.aadObjectId, { kind: 'text', text: 'hello again' });
    expect(again).toEqual({ kind: 'unreachable', reason: 'no_conversation_reference' });
    expect(h.connector.calls).toHaveLength(1);
    // Reinstalling makes them reachable again.
    await h.post(h.activities.botInstalledInPersonalChat(person));
    expect(await h.hub.notifier.sendToPerson(person.aadObjectId, { kind: 'text', text: 'welcome back' })).toMatchObject({ kind: 'sent' });
  });

  it('404 (conversation gone): unreachable with that reason, tried once', async () => {
    const person = await installedPerson(h, 'Gone Person');
    h.connector.failNext(1, { status: 404 });

    expect(await h.hub.notifier.sendToPerson(person.aadObjectId, { kind: 'text', text: 'x' })).toEqual({ kind: 'unreachable', reason: 'conversation_gone' });
    expect(h.connector.calls.map((c) => c.status)).toEqual([404]);
  });

  it('a channel post returns the new post id; an update keeps it; a 404 on update says the card is gone', async () => {
    const team = teamsTeam('Outcome Team');
    await h.post(h.activities.botAddedToTeam(team, teamsPerson('Team Lead')));
    const channel = { teamId: team.id, channelId: team.id };
    const card = { type: 'AdaptiveCard' as const, version: '1.5' as const, body: [{ type: 'TextBlock', text: 'Status' }] };

    const posted = await h.hub.notifier.postToChannel(channel, { kind: 'card', card });
    expect(posted.kind).toBe('sent');
    const postId = posted.kind === 'sent' ? posted.activityId : '';
    expect(postId).not.toBe('');
    expect(await h.hub.notifier.updateMessage({ kind: 'channel', channel }, postId, card)).toEqual({ kind: 'sent', activityId: postId });
    h.connector.failNext(1, { status: 404, kind: 'update' });
    expect(await h.hub.notifier.updateMessage({ kind: 'channel', channel }, postId, card)).toEqual({ kind: 'unreachable', reason: 'conversation_gone' });
    expect(await h.hub.notifier.postToChannel({ teamId: 'no-such-team', channelId: 'no-such-channel' }, { kind: 'card', card })).toEqual({
      kind: 'unreachable',
      reason: 'no_conversation_reference',
    });
  });

  it('a 500 is an outage, not an outcome: it throws a plain error (the job backs off) after one call, pausing nobody', async () => {
    const person = await installedPerson(h, 'Outage Person');
    h.connector.failNext(1, { status: 500 });

    const failure = await h.hub.notifier.sendToPerson(person.aadObjectId, { kind: 'text', text: 'x' }).catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(Error);
    expect(failure).not.toBeInstanceOf(RetryLaterError);
    expect(h.connector.calls.map((c) => c.status)).toEqual([500]);
    expect(await pausedUntil(h)).toBe(0);
  });
});

describe('a throttled proactive send (429 with Retry-After)', () => {
  const h = useHub();

  it('throws RetryLaterError for Retry-After, not counted as an attempt, after one call, and pauses every instance through the shared row', async () => {
    const person = await installedPerson(h, 'Throttled Person');
    h.connector.failNext(1, { status: 429, retryAfterSeconds: 7 });
    const before = Date.now();

    const failure = await h.hub.notifier.sendToPerson(person.aadObjectId, { kind: 'text', text: 'x' }).catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(RetryLaterError);
    expect((failure as RetryLaterError).retryAfterMs).toBe(7000);
    expect((failure as RetryLaterError).countsAsAttempt).toBe(false);
    // One call: neither botbuilder's retry policy nor withSendRetry tried again in-process.
    expect(h.connector.calls.map((c) => c.status)).toEqual([429]);
    expect(h.connector.calls[0].conversationId).toBe(personalChat(person).conversationId);
    const until = await pausedUntil(h);
    expect(until).toBeGreaterThanOrEqual(before + 7000);
    expect(until).toBeLessThanOrEqual(Date.now() + 7000);
  });
});

describe('a throttled proactive send (503 without Retry-After)', () => {
  const h = useHub();

  it('backs off by itself (jittered, at most the base second) and says so in RetryLaterError', async () => {
    const person = await installedPerson(h, 'Unavailable Person');
    h.connector.failNext(1, { status: 503 });

    const failure = await h.hub.notifier.sendToPerson(person.aadObjectId, { kind: 'text', text: 'x' }).catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(RetryLaterError);
    expect((failure as RetryLaterError).retryAfterMs).toBeGreaterThanOrEqual(500);
    expect((failure as RetryLaterError).retryAfterMs).toBeLessThanOrEqual(1000);
    expect(h.connector.calls.map((c) => c.status)).toEqual([503]);
    expect(await pausedUntil(h)).toBeGreaterThan(0);
  });
});
