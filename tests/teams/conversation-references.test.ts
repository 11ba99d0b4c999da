import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupChat, personalChat, teamChannel, teamsPerson, teamsTeam } from '../support/activities.js';
import { adaptiveCards } from '../support/connector-stand-in.js';
import { startHub, useHub, type HubHarness } from '../support/hub-harness.js';
import { openPgliteTestDb, type TestDb } from '../support/test-db.js';

const notice = { type: 'AdaptiveCard' as const, version: '1.5', body: [{ type: 'TextBlock', text: 'Your place is confirmed' }] };

async function referenceRow(h: HubHarness, key: string) {
  return h.db.selectFrom('conversation_reference').selectAll().where('key', '=', key).executeTakeFirst();
}

describe('conversation references and proactive messages', () => {
  const h = useHub();

  it('remembers a person on personal install, keyed by their Entra ID object id', async () => {
    const amira = teamsPerson('Amira Khan');
    await h.post(h.activities.botInstalledInPersonalChat(amira));

    const row = await referenceRow(h, `person:${amira.aadObjectId}`);
    expect(row).toMatchObject({
      scope: 'personal',
      aad_object_id: amira.aadObjectId,
      conversation_id: personalChat(amira).conversationId,
      tenant_id: h.activities.defaults.tenantId,
      service_url: h.connector.serviceUrl,
      uninstalled_at: null,
    });
    expect(row!.reference).toMatchObject({
      channelId: 'msteams',
      serviceUrl: h.connector.serviceUrl,
      conversation: { id: personalChat(amira).conversationId, conversationType: 'personal' },
      bot: { id: h.activities.bot.id },
      user: { id: amira.id, aadObjectId: amira.aadObjectId },
    });
    expect(row!.reference).not.toHaveProperty('activityId');
  });

  it('remembers a channel by the channel id, never by a thread (;messageid=)', async () => {
    const team = teamsTeam('Harmony English Network');
    const lead = teamsPerson('Network Lead');
    await h.post(h.activities.botAddedToTeam(team, lead));
    const place = teamChannel(team, { id: `19:${'a'.repeat(32)}@thread.tacv2`, name: 'Reading' });
    await h.post(h.activities.message({ text: 'help', from: lead, place, threadRootId: '1700000000555' }));

    const general = await referenceRow(h, `conversation:${team.id}`);
    expect(general).toMatchObject({ scope: 'channel', conversation_id: team.id, team_id: team.id, aad_object_id: null });
    const reading = await referenceRow(h, `conversation:${place.channel.id}`);
    expect(reading).toMatchObject({ scope: 'channel', conversation_id: place.channel.id, team_id: team.id });
    expect((reading!.reference as { conversation: { id: string } }).conversation.id).toBe(place.channel.id);
    const threadKeys = await h.db.selectFrom('conversation_reference').select('key').where('key', 'like', '%messageid%').execute();
    expect(threadKeys).toEqual([]);
  });

  it('remembers a group chat by its conversation id', async () => {
    const chat = groupChat();
    await h.post(h.activities.botAddedToGroupChat(chat, teamsPerson('Chat Owner')));
    expect(await referenceRow(h, `conversation:${chat.conversationId}`)).toMatchObject({ scope: 'groupChat', conversation_id: chat.conversationId });
  });

  // botbuilder's continueConversationAsync starts a synthetic 'continuation' turn whose random id
  // becomes the replyToId, so the CloudAdapter posts to …/activities/{that id} (ReplyToActivity)
  // rather than …/activities (SendToConversation); Teams posts both as a new message.
  it('delivers a proactive message to a person into their 1:1 chat, not threaded under an earlier message', async () => {
    const ben = teamsPerson('Ben Ofori');
    const install = h.activities.botInstalledInPersonalChat(ben);
    await h.post(install);
    h.connector.clear();

    const sent = await h.hub.notifier.sendToPerson(ben.aadObjectId, { kind: 'card', card: notice });

    const calls = h.connector.calls;
    expect(sent).toEqual({ kind: 'sent', activityId: calls[0].resourceId });
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ method: 'POST', conversationId: personalChat(ben).conversationId, status: 201 });
    expect(['send', 'reply']).toContain(calls[0].kind);
    expect(calls[0].path.startsWith(`/v3/conversations/${encodeURIComponent(personalChat(ben).conversationId)}/activities`)).toBe(true);
    expect(calls[0].activityId).not.toBe(install.id);
    expect(calls[0].body).toMatchObject({ type: 'message', from: { id: h.activities.bot.id }, recipient: { id: ben.id } });
    expect(adaptiveCards(calls[0].body)).toEqual([notice]);
  });

  it('delivers a proactive message to a channel by its reference key', async () => {
    const team = teamsTeam('Inclusion Team');
    await h.post(h.activities.botAddedToTeam(team, teamsPerson('Inclusion Lead')));
    h.connector.clear();

    const sent = await h.hub.notifier.sendToConversation(`conversation:${team.id}`, { kind: 'text', text: 'New network meeting posted' });

    const call = await h.connector.waitForDelivery(team.id);
    expect(sent).toEqual({ kind: 'sent', activityId: call.resourceId });
    expect(call.conversationId).toBe(team.id);
    expect(call.body.text).toBe('New network meeting posted');
  });

  it("prepares a batch's people in one query: each person's next send uses what was read, once", async () => {
    const [dina, eli] = [teamsPerson('Dina Patel'), teamsPerson('Eli Moss')];
    for (const p of [dina, eli]) await h.post(h.activities.botInstalledInPersonalChat(p));
    const stranger = '00000000-2222-3333-4444-555555555555';
    await h.hub.notifier.preparePeople([dina.aadObjectId, eli.aadObjectId, stranger]);
    // Gone from the store after the read: the sends below can only have used the prepared references.
    await h.db.deleteFrom('conversation_reference').where('key', 'in', [`person:${dina.aadObjectId}`, `person:${eli.aadObjectId}`]).execute();
    h.connector.clear();

    expect(await h.hub.notifier.sendToPerson(dina.aadObjectId, { kind: 'text', text: 'batch 1' })).toMatchObject({ kind: 'sent' });
    expect(await h.hub.notifier.sendToPerson(eli.aadObjectId, { kind: 'text', text: 'batch 1' })).toMatchObject({ kind: 'sent' });
    expect(await h.hub.notifier.sendToPerson(stranger, { kind: 'text', text: 'batch 1' })).toEqual({ kind: 'unreachable', reason: 'no_conversation_reference' });
    expect(h.connector.calls.map((c) => c.conversationId).sort()).toEqual([personalChat(dina).conversationId, personalChat(eli).conversationId].sort());
    // Used once: the next send reads the store again, where the chat is now gone.
    expect(await h.hub.notifier.sendToPerson(dina.aadObjectId, { kind: 'text', text: 'later' })).toEqual({ kind: 'unreachable', reason: 'no_conversation_reference' });
  });

  it('says unreachable (no conversation reference), sending nothing, for someone who never installed the app', async () => {
    expect(await h.hub.notifier.sendToPerson('00000000-1111-2222-3333-444444444444', { kind: 'text', text: 'hello' })).toEqual({ kind: 'unreachable', reason: 'no_conversation_reference' });
    expect(await h.hub.notifier.sendToConversation('conversation:19:unknown@thread.tacv2', { kind: 'text', text: 'hello' })).toEqual({ kind: 'unreachable', reason: 'no_conversation_reference' });
    expect(h.connector.calls).toEqual([]);
  });

  it('marks the reference uninstalled on installationUpdate remove, and restores it on reinstall', async () => {
    const cara = teamsPerson('Cara Doyle');
    await h.post(h.activities.botInstalledInPersonalChat(cara));

    const removed = await h.post(h.activities.installationUpdate('remove', cara));

    expect(removed.status).toBe(200);
    const row = await referenceRow(h, `person:${cara.aadObjectId}`);
    expect(row!.uninstalled_at).toBeInstanceOf(Date);
    h.connector.clear();
    expect(await h.hub.notifier.sendToPerson(cara.aadObjectId, { kind: 'text', text: 'still there?' })).toEqual({ kind: 'unreachable', reason: 'no_conversation_reference' });
    expect(h.connector.calls).toEqual([]);

    await h.post(h.activities.installationUpdate('add', cara));
    await h.post(h.activities.botInstalledInPersonalChat(cara));
    expect((await referenceRow(h, `person:${cara.aadObjectId}`))!.uninstalled_at).toBeNull();
    expect(await h.hub.notifier.sendToPerson(cara.aadObjectId, { kind: 'text', text: 'welcome back' })).toMatchObject({ kind: 'sent' });
  });

  it('marks a team uninstalled when the bot is removed from it', async () => {
    const team = teamsTeam('Retired Network');
    const lead = teamsPerson('Lead');
    await h.post(h.activities.botAddedToTeam(team, lead));

    await h.post(h.activities.botRemovedFromTeam(team, lead));

    expect((await referenceRow(h, `conversation:${team.id}`))!.uninstalled_at).toBeInstanceOf(Date);
    expect(await h.hub.notifier.sendToConversation(`conversation:${team.id}`, { kind: 'text', text: 'x' })).toEqual({ kind: 'unreachable', reason: 'no_conversation_reference' });
  });
});

describe('conversation references across app instances sharing one database', () => {
  let shared: TestDb;
  let a: HubHarness;
  let b: HubHarness;
  beforeAll(async () => {
    shared = await openPgliteTestDb();
    a = await startHub({ db: shared.db });
    b = await startHub({ db: shared.db, connector: a.connector });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
    await shared?.close();
  });

  it('a reinstall handled by one instance undoes an uninstall handled by another', async () => {
    const dee = teamsPerson('Dee Instance');
    await a.post(a.activities.botInstalledInPersonalChat(dee));
    await b.post(b.activities.installationUpdate('remove', dee));
    expect(await a.hub.notifier.sendToPerson(dee.aadObjectId, { kind: 'text', text: 'gone' })).toEqual({ kind: 'unreachable', reason: 'no_conversation_reference' });

    await a.post(a.activities.installationUpdate('add', dee));
    await a.post(a.activities.botInstalledInPersonalChat(dee));

    expect(await b.hub.notifier.sendToPerson(dee.aadObjectId, { kind: 'text', text: 'back again' })).toMatchObject({ kind: 'sent' });
  });
});
