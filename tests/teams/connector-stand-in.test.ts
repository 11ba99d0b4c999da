import { TeamsAdapter } from '@microsoft/teams-ai';
import { TeamsInfo, TurnContext, type ConversationReference } from 'botbuilder';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { teamChannel, teamsActivities, teamsPerson, teamsTeam, type TeamsActivityBuilders } from '../support/activities.js';
import { ConnectorStandIn } from '../support/connector-stand-in.js';

// The stand-in must speak the wire format botbuilder's own ConnectorClient and TeamsInfo expect,
// for the routes features will use later (update, delete, create conversation, rosters, channels).
let connector: ConnectorStandIn;
let builders: TeamsActivityBuilders;
const adapter = new TeamsAdapter({});

beforeAll(async () => {
  connector = await ConnectorStandIn.start();
  builders = teamsActivities({ serviceUrl: connector.serviceUrl });
});
afterAll(async () => {
  await connector?.close();
});
beforeEach(() => {
  connector.clear();
});

function referenceFor(activity: Record<string, unknown>): Partial<ConversationReference> {
  return TurnContext.getConversationReference(activity);
}

async function inConversation(activity: Record<string, unknown>, logic: (context: TurnContext) => Promise<void>): Promise<void> {
  await adapter.continueConversationAsync('', referenceFor(activity), logic);
}

describe('connector stand-in through botbuilder', () => {
  it('sends, updates and deletes an activity', async () => {
    const person = teamsPerson('Editor');
    let sentId = '';

    await inConversation(builders.message({ text: 'hi', from: person }), async (context) => {
      sentId = (await context.sendActivity('Draft'))!.id;
      await context.updateActivity({ id: sentId, type: 'message', text: 'Final' });
      await context.deleteActivity(sentId);
    });

    expect(connector.calls.map((c) => [c.method, c.kind])).toEqual([
      ['POST', 'reply'],
      ['PUT', 'update'],
      ['DELETE', 'delete'],
    ]);
    expect(sentId).toBe(connector.calls[0].resourceId);
    expect(connector.calls[1]).toMatchObject({ activityId: sentId, body: { text: 'Final' } });
    expect(connector.calls[2].activityId).toBe(sentId);
  });

  it('creates a conversation and posts into it', async () => {
    const person = teamsPerson('Someone New');
    let created = '';

    await adapter.createConversationAsync(
      '',
      'msteams',
      connector.serviceUrl,
      '',
      {
        isGroup: false,
        bot: builders.bot,
        members: [{ id: person.id, name: person.name }],
        tenantId: builders.defaults.tenantId,
        activity: undefined,
        channelData: { tenant: { id: builders.defaults.tenantId } },
      },
      async (context) => {
        created = context.activity.conversation.id;
        await context.sendActivity('Hello from the Development Team');
      },
    );

    const create = connector.calls.find((c) => c.kind === 'createConversation')!;
    expect(create.body).toMatchObject({ bot: { id: builders.bot.id }, members: [{ id: person.id }], isGroup: false });
    expect(created).toBe(create.resourceId);
    expect(connector.delivered(created)[0].body.text).toBe('Hello from the Development Team');
  });

  it('serves conversation members to TeamsInfo', async () => {
    const team = teamsTeam('Roster Team');
    const ada = teamsPerson('Ada Lovelace');
    const grace = teamsPerson('Grace Hopper');
    connector.setMembers(team.id, [
      { id: ada.id, name: ada.name, aadObjectId: ada.aadObjectId, email: 'ada@example.org', userPrincipalName: 'ada@example.org' },
      { id: grace.id, name: grace.name, aadObjectId: grace.aadObjectId },
    ]);
    let member: unknown;
    let paged: unknown;
    let missing: unknown;

    await inConversation(builders.message({ text: 'hi', from: ada, place: teamChannel(team) }), async (context) => {
      member = await TeamsInfo.getMember(context, ada.id);
      paged = await TeamsInfo.getPagedMembers(context);
      missing = await TeamsInfo.getMember(context, '29:nobody').catch((error: unknown) => error);
    });

    expect(member).toMatchObject({ id: ada.id, aadObjectId: ada.aadObjectId, email: 'ada@example.org' });
    expect((paged as { members: unknown[] }).members).toHaveLength(2);
    expect(missing).toBeInstanceOf(Error);
    expect(connector.calls.map((c) => c.kind)).toEqual(['member', 'pagedMembers', 'member']);
  });

  it("serves a team's details and channels to TeamsInfo", async () => {
    const team = teamsTeam('Channels Team');
    connector.setTeam(team.id, {
      name: team.name,
      aadGroupId: team.aadGroupId,
      channels: [
        { id: team.id, name: 'General' },
        { id: '19:reading@thread.tacv2', name: 'Reading' },
      ],
    });
    let details: unknown;
    let channels: unknown;

    await inConversation(builders.message({ text: 'hi', from: teamsPerson('Owner'), place: teamChannel(team) }), async (context) => {
      // A proactive turn carries no channelData, so the team id is passed explicitly.
      details = await TeamsInfo.getTeamDetails(context, team.id);
      channels = await TeamsInfo.getTeamChannels(context, team.id);
    });

    expect(details).toMatchObject({ id: team.id, name: 'Channels Team', aadGroupId: team.aadGroupId });
    expect(channels).toEqual([
      { id: team.id, name: 'General' },
      { id: '19:reading@thread.tacv2', name: 'Reading' },
    ]);
  });

  it('fails only the calls it was told to, per route kind', async () => {
    connector.failNext(1, { status: 503, kind: 'update' });
    const person = teamsPerson('Selective');

    await inConversation(builders.message({ text: 'hi', from: person }), async (context) => {
      const sent = await context.sendActivity('first');
      await context.updateActivity({ id: sent!.id, type: 'message', text: 'second' });
    });

    expect(connector.calls.map((c) => `${c.kind} ${c.status}`)).toEqual(['reply 201', 'update 503', 'update 200']);
  });

  it('rejects a body that is not an activity, as the real service does', async () => {
    const response = await fetch(`${connector.serviceUrl}v3/conversations/a%3A1/activities`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'no type' }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'BadArgument' } });
  });
});
