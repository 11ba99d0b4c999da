import { describe, expect, it } from 'vitest';
import { askerFromPeople } from '../../../src/features/cpd/cpd.asker.js';
import { createSamplePeopleService } from '../../../src/features/people/people.service.js';
import type { TurnInfo } from '../../../src/shared/bot-contract.js';

const LEADER = 'b0000000-0000-4000-8000-000000000006';
const people = createSamplePeopleService({
  trustId: 'harmony',
  unknownPeople: { academyId: 'brookside' },
  people: [{ aadObjectId: LEADER, displayName: 'Ruth Pennington', academyId: 'brookside', roles: ['staff', 'academy_leader'] }],
});
const turn = (aadObjectId: string | undefined): TurnInfo => ({
  speaker: { aadObjectId, name: 'Someone', tenantId: undefined },
  conversation: { id: 'c', scope: 'personal', teamId: undefined },
  locale: undefined,
});

describe('who is asking, for CPD ranking', () => {
  it('uses the roles the people service resolves', async () => {
    expect(await askerFromPeople(people)(turn(LEADER))).toEqual({ roles: ['staff', 'academy_leader'] });
    expect(await askerFromPeople(people)(turn('b0000000-0000-4000-8000-0000000000ff'))).toEqual({ roles: ['staff'] });
  });

  it('ranks someone Teams does not identify as ordinary staff instead of refusing to search', async () => {
    expect(await askerFromPeople(people)(turn(undefined))).toEqual({ roles: ['staff'] });
  });
});
