import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_TRUST_PROFILE } from '../../../src/config.js';
import { playgroundConfigData, renderPlaygroundConfig, type PlaygroundConfigInput } from '../../../src/cli/dev/playground-config.js';
import { freePort } from '../../../src/cli/dev/ports.js';
import { loadTrustProfile } from '../../../src/trust/load-trust-profile.js';
import { findSamplePerson, loadSamplePeople, type SamplePerson } from '../../../src/cli/dev/sample-people.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'dev-playground-config-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const harmony = loadSamplePeople(DEFAULT_TRUST_PROFILE);
const cli = createRequire(import.meta.url).resolve('@microsoft/m365agentsplayground/cli.js');

const awkward: SamplePerson = {
  key: 'awkward',
  aadObjectId: 'b0000000-0000-4000-8000-0000000000ff',
  displayName: 'Zoë "Zed" O\'Neil: #1 # not a comment',
  email: 'zoe@harmony.example',
  roles: ['staff'],
  description: 'Staff',
  hint: undefined,
  inRoster: true,
};

/**
 * Starts the real playground on `config` and reports whether it accepted it: it validates the file
 * against its own schema only after it says it is listening, then exits 1 with the reason in its log.
 */
async function playgroundAccepts(name: string, config: string): Promise<{ accepted: boolean; log: string }> {
  const configFile = path.join(scratch, `${name}.yml`);
  const logFile = path.join(scratch, `${name}.log`);
  writeFileSync(configFile, config);
  const port = await freePort();
  const child = spawn(process.execPath, [cli, '-c', 'msteams', '-e', 'http://127.0.0.1:9/api/messages', '-p', String(port), '--dt'], {
    env: { ...process.env, TEAMSAPPTESTER_BROWSER: 'none', M365_AGENTS_PLAYGROUND_CONFIG_PATH: configFile, M365_AGENTS_PLAYGROUND_LOGFILE: logFile },
    stdio: 'ignore',
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline && child.exitCode === null) {
      const page = await fetch(`http://127.0.0.1:${port}/`).catch(() => undefined);
      if (page?.ok) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const early = await Promise.race([exited, new Promise<'running'>((resolve) => setTimeout(() => resolve('running'), 1000))]);
    return { accepted: early === 'running', log: readFileSync(logFile, 'utf8') };
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

const input = (currentUser: SamplePerson, colleagues: readonly SamplePerson[]): PlaygroundConfigInput => ({
  botName: 'Development Hub',
  teamName: 'Harmony staff',
  currentUser,
  colleagues,
});

describe('the Agents Playground config npm run dev writes', () => {
  it('signs in as the chosen person, with exactly five others and unique ids', () => {
    const priya = findSamplePerson(harmony, 'priya');
    const data = playgroundConfigData(input(priya, harmony.people));
    expect(data.currentUser).toMatchObject({
      name: 'Priya Sandhu-Vale',
      aadObjectId: priya.aadObjectId,
      email: priya.email,
      userPrincipleName: priya.email,
      givenName: 'Priya',
      surname: 'Sandhu-Vale',
    });
    expect(data.users).toHaveLength(5);
    expect(data.users.map((u) => u.aadObjectId)).not.toContain(priya.aadObjectId);
    const ids = [data.currentUser.id, ...data.users.map((u) => u.id)];
    expect(new Set(ids).size).toBe(6);
    // The same person gets the same personal chat on every run, so conversation state carries over.
    expect(playgroundConfigData(input(priya, harmony.people)).personalChat.id).toBe(data.personalChat.id);
    expect(playgroundConfigData(input(findSamplePerson(harmony, 'ellie'), harmony.people)).personalChat.id).not.toBe(data.personalChat.id);
  });

  it("has the Harmony profile's Inclusion triage channel, so local visit requests reach a channel the playground shows", () => {
    const data = playgroundConfigData(input(awkward, harmony.people));
    const triage = loadTrustProfile(DEFAULT_TRUST_PROFILE).inclusion.triageChannel;
    expect(data.team.id).toBe(triage.teamId);
    expect(data.team.channels).toEqual([{ id: triage.channelId, name: triage.channelName }]);
  });

  it('fills the group chat with sample colleagues when the roster is small', () => {
    const data = playgroundConfigData(input(awkward, [awkward]));
    expect(data.users).toHaveLength(5);
    expect(data.users[0].name).toBe('Sample Colleague 1');
  });

  it('is accepted by the real Agents Playground, quotes, colons and hashes in names included', async () => {
    const yaml = renderPlaygroundConfig(input(awkward, harmony.people));
    expect(yaml).toContain(`name: ${JSON.stringify(awkward.displayName)}`);
    const result = await playgroundAccepts('awkward', yaml);
    expect(result.log).not.toMatch(/^error /m);
    expect(result.accepted).toBe(true);
  }, 30_000);

  it('is checked for real: the playground refuses a config that breaks its schema', async () => {
    const broken = renderPlaygroundConfig(input(awkward, harmony.people)).replace(/^groupChat:\n(?: {2}.*\n)+/m, '');
    const result = await playgroundAccepts('broken', broken);
    expect(result.accepted).toBe(false);
    expect(result.log).toContain("must have required property 'groupChat'");
  }, 30_000);
});
