import type { TurnInfo } from '../../shared/bot-contract.js';
import type { PeopleService } from '../people/people.service.js';
import type { Asker } from './search/search.domain.js';

/**
 * Who is asking, for ranking only. Searching needs no identity, so when the directory cannot say
 * (no Entra ID object id, Graph unavailable) the person is ranked as ordinary staff rather than refused.
 */
export function askerFromPeople(people: PeopleService): (turn: TurnInfo) => Promise<Asker> {
  return async (turn) => {
    const person = await people.resolve(turn.speaker);
    return person.ok ? { roles: person.value.roles } : { roles: ['staff'] };
  };
}
