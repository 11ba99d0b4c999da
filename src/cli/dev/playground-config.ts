import type { SamplePerson } from './sample-people.js';

/**
 * The Agents Playground's config file (.m365agentsplayground.yml, schema version 0.1.1): who the
 * signed-in user is, five other users for the group chat and team, and the chat/team ids. The
 * playground validates it strictly (exactly five `users`, unique ids, no extra fields).
 */
export const PLAYGROUND_CONFIG_VERSION = '0.1.1';
const OTHER_USER_COUNT = 5;

/** A fixed sample tenant: the app does not check it, and stable ids keep conversation state across runs. */
const SAMPLE_TENANT_ID = 'a0000000-0000-4000-8000-00000000000a';
const SAMPLE_TEAM_GROUP_ID = 'a0000000-0000-4000-8000-00000000000b';

/** The local team and its one extra channel (the playground allows no more). */
export const PLAYGROUND_TEAM_CHANNEL = {
  teamId: '19:dev-team-general@thread.tacv2',
  channelId: '19:dev-team-inclusion-triage@thread.tacv2',
  channelName: 'Inclusion triage',
} as const;

export interface PlaygroundConfigInput {
  botName: string;
  teamName: string;
  currentUser: SamplePerson;
  /** Everyone else who could appear in the group chat and the team. */
  colleagues: readonly SamplePerson[];
}

interface PlaygroundUser {
  id: string;
  name: string;
  userPrincipleName: string;
  aadObjectId: string;
  givenName: string;
  surname: string;
  email: string;
}

function playgroundUser(person: Pick<SamplePerson, 'aadObjectId' | 'displayName' | 'email'>): PlaygroundUser {
  const [givenName = person.displayName, ...rest] = person.displayName.split(/\s+/);
  return {
    // Teams user ids are opaque; derive one from the object id so each person keeps their own chat.
    id: `29:dev-${person.aadObjectId}`,
    name: person.displayName,
    // The playground's schema spells it "Principle".
    userPrincipleName: person.email,
    aadObjectId: person.aadObjectId,
    givenName,
    surname: rest.join(' ') || givenName,
    email: person.email,
  };
}

function fillerColleague(n: number): Pick<SamplePerson, 'aadObjectId' | 'displayName' | 'email'> {
  const suffix = String(n).padStart(12, '0');
  return { aadObjectId: `e0000000-0000-4000-8000-${suffix}`, displayName: `Sample Colleague ${n}`, email: `colleague${n}@sample.example` };
}

export function playgroundConfigData(input: PlaygroundConfigInput) {
  const others = input.colleagues.filter((p) => p.aadObjectId !== input.currentUser.aadObjectId).slice(0, OTHER_USER_COUNT);
  const users: PlaygroundUser[] = others.map(playgroundUser);
  for (let n = 1; users.length < OTHER_USER_COUNT; n++) users.push(playgroundUser(fillerColleague(n)));
  const me = playgroundUser(input.currentUser);
  return {
    version: PLAYGROUND_CONFIG_VERSION,
    tenantId: SAMPLE_TENANT_ID,
    bot: { id: '28:development-hub-local', name: input.botName.slice(0, 42) },
    currentUser: me,
    users,
    personalChat: { id: `a:dev-personal-${input.currentUser.aadObjectId}` },
    groupChat: { id: '19:dev-group-chat@thread.v2', name: 'Colleagues' },
    team: {
      id: PLAYGROUND_TEAM_CHANNEL.teamId,
      name: input.teamName,
      aadGroupId: SAMPLE_TEAM_GROUP_ID,
      // The playground allows one channel besides General: the Inclusion team's triage channel, whose
      // ids the Harmony profile's sample inclusion.triageChannel uses, so visit requests reach it locally.
      channels: [{ id: PLAYGROUND_TEAM_CHANNEL.channelId, name: PLAYGROUND_TEAM_CHANNEL.channelName }],
    },
  };
}

/**
 * Renders the config as YAML. Every scalar is written as a JSON string, which YAML reads as the
 * same double-quoted string, so names with colons or quotes cannot break the file.
 */
export function renderPlaygroundConfig(input: PlaygroundConfigInput): string {
  const data = playgroundConfigData(input);
  const q = (value: string): string => JSON.stringify(value);
  const user = (u: PlaygroundUser, indent: string, first: string): string[] =>
    (Object.keys(u) as (keyof PlaygroundUser)[]).map((k, i) => `${i === 0 ? first : indent}${k}: ${q(u[k])}`);
  return [
    `# Written by \`npm run dev\` (src/cli/dev/playground-config.ts) for ${input.currentUser.displayName}.`,
    '# Regenerated on every run: change the sample roster or use --as, not this file.',
    `version: ${q(data.version)}`,
    `tenantId: ${q(data.tenantId)}`,
    'bot:',
    `  id: ${q(data.bot.id)}`,
    `  name: ${q(data.bot.name)}`,
    'currentUser:',
    ...user(data.currentUser, '  ', '  '),
    'users:',
    ...data.users.flatMap((u) => user(u, '    ', '  - ')),
    'personalChat:',
    `  id: ${q(data.personalChat.id)}`,
    'groupChat:',
    `  id: ${q(data.groupChat.id)}`,
    `  name: ${q(data.groupChat.name)}`,
    'team:',
    `  id: ${q(data.team.id)}`,
    `  name: ${q(data.team.name)}`,
    `  aadGroupId: ${q(data.team.aadGroupId)}`,
    '  channels:',
    ...data.team.channels.flatMap((c) => [`    - id: ${q(c.id)}`, `      name: ${q(c.name)}`]),
    '',
  ].join('\n');
}
