import { describe, expect, it } from 'vitest';
import { groupChat, personalChat, teamChannel, teamsPerson, teamsTeam, channelThreadId } from '../support/activities.js';
import { adaptiveCards } from '../support/connector-stand-in.js';
import { isNotSureCard, isWelcomeCard, useHub } from '../support/hub-harness.js';

// Through HTTP: Teams-shaped activities → /api/messages → real CloudAdapter + Teams AI Application →
// replies posted to the connector stand-in (the activity's serviceUrl).
const h = useHub();

describe('installing the app', () => {
  it('sends the welcome Adaptive Card (schema 1.5) into a personal chat', async () => {
    const amira = teamsPerson('Amira Khan');
    const install = h.activities.botInstalledInPersonalChat(amira);

    const answer = await h.post(install);

    expect(answer.status).toBe(200);
    const reply = await h.connector.waitForDelivery(install.conversation.id);
    expect(reply.kind).toBe('reply');
    expect(reply.activityId).toBe(install.id);
    expect(reply.body.type).toBe('message');
    expect(reply.body.recipient.id).toBe(amira.id);
    expect(reply.body.from.id).toBe(h.activities.bot.id);
    expect(reply.body.attachments).toHaveLength(1);
    expect(reply.body.attachments[0].contentType).toBe('application/vnd.microsoft.card.adaptive');
    const card = reply.body.attachments[0].content;
    expect(card.type).toBe('AdaptiveCard');
    expect(card.version).toBe('1.5');
    expect(isWelcomeCard(card)).toBe(true);
    expect(JSON.stringify(card)).toContain('Hi Amira');
    // Local mode: the adapter sends without a token.
    expect(reply.authorization).toBeUndefined();
    expect(h.connector.delivered()).toHaveLength(1);
  });

  it('posts one welcome card to the channel when the app is added to a team', async () => {
    const team = teamsTeam('Harmony Maths Network');
    const installer = teamsPerson('Dev Team Lead');

    const answer = await h.post(h.activities.botAddedToTeam(team, installer));

    expect(answer.status).toBe(200);
    await h.connector.waitForDelivery(team.id);
    const delivered = h.connector.delivered();
    expect(delivered).toHaveLength(1);
    expect(delivered[0].conversationId).toBe(team.id);
    expect(isWelcomeCard(adaptiveCards(delivered[0].body)[0])).toBe(true);
  });

  it('stays quiet when another member joins a team the app is already in', async () => {
    const team = teamsTeam('SENCO Network');
    const lead = teamsPerson('Network Lead');
    await h.post(h.activities.botAddedToTeam(team, lead));
    h.connector.clear();

    const answer = await h.post(h.activities.memberAddedToTeam(team, teamsPerson('New Teacher'), lead));

    expect(answer.status).toBe(200);
    expect(h.connector.calls).toEqual([]);
  });

  it('welcomes a group chat it is added to', async () => {
    const chat = groupChat();

    await h.post(h.activities.botAddedToGroupChat(chat, teamsPerson('Chat Owner')));

    expect(h.connector.deliveredCards(chat.conversationId).filter(isWelcomeCard)).toHaveLength(1);
    expect(h.connector.delivered()).toHaveLength(1);
  });
});

describe('chat text the bot answers with the welcome card', () => {
  it.each(['help', 'hi', 'Hello!', 'what can you do'])('"%s" in a personal chat → welcome card', async (text) => {
    const person = teamsPerson('Ola Nowak');
    const message = h.activities.message({ text, from: person });

    const answer = await h.post(message);

    expect(answer.status).toBe(200);
    const reply = await h.connector.waitForDelivery(message.conversation.id);
    expect(reply.kind).toBe('reply');
    expect(reply.activityId).toBe(message.id);
    const cards = adaptiveCards(reply.body);
    expect(cards).toHaveLength(1);
    expect(isWelcomeCard(cards[0])).toBe(true);
    expect(h.connector.delivered()).toHaveLength(1);
  });

  it('"asdfgh" gets "I\'m not sure what you need" with journeys to choose from, not the welcome card', async () => {
    const message = h.activities.message({ text: 'asdfgh', from: teamsPerson('Ola Nowak') });
    await h.post(message);
    const cards = adaptiveCards((await h.connector.waitForDelivery(message.conversation.id)).body);
    expect(cards).toHaveLength(1);
    expect(isNotSureCard(cards[0])).toBe(true);
    expect(isWelcomeCard(cards[0])).toBe(false);
  });

  it('answers an @mention in a channel thread with the welcome card in that thread', async () => {
    const team = teamsTeam('Early Years HLC');
    const place = teamChannel(team, { id: `19:${'c'.repeat(32)}@thread.tacv2`, name: 'Phonics' });
    const message = h.activities.message({ text: 'help', from: teamsPerson('Sam Patel'), place, threadRootId: '1700000000001' });
    expect(message.text).toBe('<at>Development Hub</at> help');
    expect(message.entities[0]).toMatchObject({ type: 'mention', mentioned: { id: h.activities.bot.id } });

    await h.post(message);

    const reply = await h.connector.waitForDelivery();
    expect(reply.conversationId).toBe(channelThreadId(place.channel.id, '1700000000001'));
    expect(isWelcomeCard(adaptiveCards(reply.body)[0])).toBe(true);
  });

  it('answers a message with no text (e.g. a stray card submit) instead of staying silent', async () => {
    const person = teamsPerson('Jo Bloggs');
    await h.post(h.activities.message({ text: '', from: person, value: { anything: 1 }, overrides: { text: undefined } }));

    expect(h.connector.deliveredCards(personalChat(person).conversationId).filter(isWelcomeCard)).toHaveLength(1);
  });

  it('routes a card button that carries a prompt as if the person had typed it', async () => {
    const person = teamsPerson('Button Presser');
    await h.post(h.activities.message({ text: '', from: person, value: { prompt: 'any phonics training?' }, overrides: { text: undefined } }));

    const [card] = h.connector.deliveredCards(personalChat(person).conversationId);
    // The CPD search answered (not the welcome card), so the prompt was treated as typed text.
    expect(isWelcomeCard(card)).toBe(false);
    expect(JSON.stringify(card)).toContain('Leadership and Teaching of Phonics');
  });

  it('offers every journey on the welcome card as a button that sends its prompt', async () => {
    const person = teamsPerson('Journey Reader');
    await h.post(h.activities.message({ text: 'help', from: person }));

    const [card] = h.connector.deliveredCards(personalChat(person).conversationId);
    const buttons = JSON.stringify(card).match(/"type":"Action\.Submit","title":"[^"]+","data":\{"prompt":"[^"]+"\}/g) ?? [];
    expect(buttons.length).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(card)).not.toContain('imBack');
  });
});
