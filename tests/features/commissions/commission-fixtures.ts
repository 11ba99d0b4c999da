import { expect } from 'vitest';
import type { TeamsPerson } from '../../support/activities.js';
import type { EntraStandIn } from '../../support/entra-stand-in.js';
import type { HttpAnswer, HubHarness } from '../../support/hub-harness.js';

export { catherine, daniel, ellie, owen, priya, ruth } from '../inclusion-visits/visit-fixtures.js';

/** Calls the tab API as a person, with an Entra token the stand-in signed for them. */
export async function api(h: HubHarness, entra: EntraStandIn, who: TeamsPerson | string, method: string, path: string, body?: unknown): Promise<HttpAnswer> {
  const token = typeof who === 'string' ? who : await entra.token({ oid: who.aadObjectId });
  const response = await fetch(`${h.baseUrl}/api/v1/${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? (JSON.parse(text) as unknown) : '' };
}

let key = 0;
export function raiseBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    submissionKey: `test-${++key}-${Date.now()}`,
    academyId: 'brookside',
    supportTypeId: 'director-of-education-intervention',
    need: 'Reading at the end of Key Stage 1 is below the trust average.',
    evidence: 'Self-evaluation and the autumn academy visit.',
    ...overrides,
  };
}

export function agreeBody(version: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    version,
    measures: [
      { description: 'Phonics screening pass rate', baseline: '68%', target: '82%', reviewDate: '2027-03-01' },
      { description: 'Consistent phonics routines seen', baseline: '4 of 8 lessons', target: '8 of 8 lessons', reviewDate: '2027-01-15' },
    ],
    assignedStaff: ['Trust English Lead'],
    startDate: '2026-12-01',
    endDate: '2027-07-15',
    ...overrides,
  };
}

export function expectError(answer: HttpAnswer, status: number, code: string): void {
  expect({ status: answer.status, code: answer.body?.error?.code }).toEqual({ status, code });
  expect(typeof answer.body.error.message).toBe('string');
  expect(answer.body.error.message.length).toBeGreaterThan(10);
}
