import { describe, expect, it } from 'vitest';
import { teamChannel, teamsPerson, teamsTeam } from '../support/activities.js';
import { useHub } from '../support/hub-harness.js';

// Universal Actions: Teams posts invoke 'adaptiveCard/action' and shows the card in the
// invoke response ({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value }).
const h = useHub();

describe('Action.Execute with a verb no feature owns', () => {
  it.each(['manual', 'automatic'] as const)('answers a %s action with the unknown_action problem card', async (trigger) => {
    const action = h.activities.cardAction({
      verb: 'cpd.bookOldVersion',
      data: { sessionId: 'tampered' },
      trigger,
      from: teamsPerson('Old Card Holder'),
    });

    const answer = await h.post(action);

    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
    const card = answer.body.value;
    expect(card).toMatchObject({ type: 'AdaptiveCard', version: '1.5', metadata: { problemCode: 'unknown_action' } });
    expect(JSON.stringify(card.body)).toContain('no longer works');
    // The card comes back in the invoke response, replacing the pressed card for this person only.
    expect(h.connector.calls).toEqual([]);
  });

  it('answers the same way in a channel', async () => {
    const team = teamsTeam();
    const action = h.activities.cardAction({ verb: 'nothing.here', from: teamsPerson('Channel Member'), place: teamChannel(team) });

    const answer = await h.post(action);

    expect(answer.status).toBe(200);
    expect(answer.body.value.metadata).toEqual({ problemCode: 'unknown_action' });
  });

  it('logs the unknown verb', async () => {
    const before = h.logs.length;
    await h.post(h.activities.cardAction({ verb: 'ghost.verb', from: teamsPerson('Ghost') }));
    expect(h.logs.slice(before).find((l) => l.msg === 'unknown card verb')).toMatchObject({ verb: 'ghost.verb' });
  });
});

describe('invokes that are not what Teams sends', () => {
  it('answers an adaptiveCard/action that is not Action.Execute with a problem card, not an empty 501', async () => {
    const action = h.activities.cardAction({ verb: 'cpd.book', data: { offeringId: 'x' }, from: teamsPerson('Tamperer') });
    (action.value as { action: { type: string } }).action.type = 'Action.Submit';

    const answer = await h.post(action);

    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
    expect(answer.body.value.metadata).toEqual({ problemCode: 'unknown_action' });
  });

  it('answers a message-extension search for a command the app does not offer with a message', async () => {
    const query = h.activities.messageExtensionQuery({
      commandId: 'noSuchCommand',
      parameters: [{ name: 'query', value: 'phonics' }],
      from: teamsPerson('Searcher'),
    });

    const answer = await h.post(query);

    expect(answer.status).toBe(200);
    expect(answer.body.composeExtension).toMatchObject({ type: 'message' });
    expect(answer.body.composeExtension.text).toMatch(/does not offer that search/);
  });
});
