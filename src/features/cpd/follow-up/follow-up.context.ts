import type { Db } from '../../../db/database.js';
import type { Notifier, Speaker } from '../../../shared/bot-contract.js';
import type { Clock, IdGenerator } from '../../../shared/clock.js';
import type { Logger } from '../../../shared/logger.js';
import { fail, type Result } from '../../../shared/result.js';
import type { CpdFollowUpSettings } from '../../../trust/trust-profile.schema.js';
import type { Person } from '../../people/people.domain.js';
import type { PeopleService } from '../../people/people.service.js';
import type { CpdTaxonomy } from '../cpd.taxonomy.js';

/** What every CPD follow-up service is built from. */
export interface FollowUpDeps {
  db: Db;
  clock: Clock;
  ids: IdGenerator;
  logger: Logger;
  people: PeopleService;
  notifier: Notifier;
  taxonomy: CpdTaxonomy;
  settings: CpdFollowUpSettings;
  kickJobs(): void;
}

/** The person behind a turn, or the directory's failure as this feature's code. */
export async function resolvePerson(
  people: PeopleService,
  speaker: Speaker,
): Promise<Result<Person, 'person_not_in_directory' | 'directory_unavailable'>> {
  const person = await people.resolve(speaker);
  return person.ok ? person : fail(person.code, person.message);
}

export function strandName(taxonomy: CpdTaxonomy, strandId: string | null): string {
  if (strandId === null) return '';
  return taxonomy.strands.find((s) => s.id === strandId)?.name ?? strandId;
}
