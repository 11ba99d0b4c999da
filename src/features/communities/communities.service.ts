import type { Speaker } from '../../shared/bot-contract.js';
import type { Clock } from '../../shared/clock.js';
import type { Logger } from '../../shared/logger.js';
import { fail, ok, type Result } from '../../shared/result.js';
import type { Community, TrustProfile } from '../../trust/trust-profile.schema.js';
import { can, type Person } from '../people/people.domain.js';
import type { PeopleService } from '../people/people.service.js';
import { joinStep, localDay, type CommunityFailureCode } from './communities.domain.js';
import type { CommunityMember, CommunityRepository, JoinRequest } from './communities.repository.js';

export type JoinOutcome = 'joined' | 'already_member' | 'requested' | 'already_requested';

/** What a person sees of the communities: who they are, what they belong to and what they asked to join. */
export interface Standing {
  person: Person;
  memberOf: ReadonlySet<string>;
  requested: ReadonlySet<string>;
}

export interface CommunityServiceDeps {
  repository: CommunityRepository;
  people: PeopleService;
  profile: TrustProfile;
  clock: Clock;
  logger: Logger;
  kickJobs(): void;
}

/** Sign-ups, leaving, join requests and member lists; the one way other features read memberships. */
export class CommunityService {
  constructor(private readonly deps: CommunityServiceDeps) {}

  all(): readonly Community[] {
    return this.deps.profile.communities;
  }

  find(communityId: string): Community | undefined {
    return this.deps.profile.communities.find((c) => c.id === communityId);
  }

  today(): string {
    return localDay(this.deps.clock.now(), this.deps.profile.trust.timeZone);
  }

  isLead(person: Pick<Person, 'aadObjectId'>, community: Community): boolean {
    return community.leads.some((id) => id.toLowerCase() === person.aadObjectId.toLowerCase());
  }

  /** Leads run their community; where none is named, the Development Team (communities.manage) does. */
  mayManage(person: Person, community: Community): boolean {
    return this.isLead(person, community) || can(person, 'communities.manage');
  }

  async standing(speaker: Speaker): Promise<Result<Standing, CommunityFailureCode>> {
    const person = await this.deps.people.resolve(speaker);
    if (!person.ok) return person;
    const [memberOf, requested] = await Promise.all([
      this.deps.repository.membershipsOf(person.value.aadObjectId),
      this.deps.repository.pendingRequestsOf(person.value.aadObjectId),
    ]);
    return ok({ person: person.value, memberOf: new Set(memberOf), requested: new Set(requested) });
  }

  async join(speaker: Speaker, communityId: string): Promise<Result<{ community: Community; outcome: JoinOutcome; standing: Standing }, CommunityFailureCode>> {
    const community = this.find(communityId);
    if (!community) return notFound();
    const standing = await this.standing(speaker);
    if (!standing.ok) return standing;
    const { person } = standing.value;
    if (!can(person, 'communities.join')) return fail('not_allowed', 'You cannot join communities with this account.');
    const step = joinStep(community, { member: standing.value.memberOf.has(community.id), requested: standing.value.requested.has(community.id) }, this.today());
    if (!step.ok) return step;
    let outcome: JoinOutcome;
    switch (step.value) {
      case 'already_member':
        outcome = 'already_member';
        break;
      case 'already_requested':
        outcome = 'already_requested';
        break;
      case 'join':
        outcome = (await this.deps.repository.join(community.id, person, person.aadObjectId, 'self')) ? 'joined' : 'already_member';
        break;
      case 'request': {
        const { created } = await this.deps.repository.request(community.id, person);
        if (created) this.deps.kickJobs();
        outcome = created ? 'requested' : 'already_requested';
        break;
      }
    }
    this.deps.logger.info({ communityId: community.id, outcome }, 'community join');
    return ok({ community, outcome, standing: await this.refreshed(standing.value) });
  }

  async leave(speaker: Speaker, communityId: string): Promise<Result<{ community: Community; standing: Standing }, CommunityFailureCode>> {
    const community = this.find(communityId);
    if (!community) return notFound();
    const standing = await this.standing(speaker);
    if (!standing.ok) return standing;
    const left = await this.deps.repository.leave(community.id, standing.value.person.aadObjectId);
    if (!left) return fail('not_a_member', `You are not a member of the ${community.name}, so there was nothing to leave.`, { community });
    return ok({ community, standing: await this.refreshed(standing.value) });
  }

  async decide(speaker: Speaker, requestId: string, decision: 'approved' | 'declined'): Promise<Result<{ request: JoinRequest; community: Community; decidedNow: boolean }, CommunityFailureCode>> {
    const person = await this.deps.people.resolve(speaker);
    if (!person.ok) return person;
    const existing = await this.deps.repository.findRequest(requestId);
    const community = existing ? this.find(existing.communityId) : undefined;
    if (!existing || !community) return fail('not_found', 'That join request no longer exists.');
    if (!this.mayManage(person.value, community)) return fail('not_allowed', `Only the leads of the ${community.name} decide who joins it.`);
    const decided = await this.deps.repository.decide(requestId, decision, person.value.aadObjectId);
    if (!decided) {
      const now = await this.deps.repository.findRequest(requestId);
      return ok({ request: now ?? existing, community, decidedNow: false });
    }
    this.deps.kickJobs();
    return ok({ request: decided, community, decidedNow: true });
  }

  async members(speaker: Speaker, communityId: string): Promise<Result<{ community: Community; members: CommunityMember[] }, CommunityFailureCode>> {
    const community = this.find(communityId);
    if (!community) return notFound();
    const person = await this.deps.people.resolve(speaker);
    if (!person.ok) return person;
    // Member lists name colleagues: only the community's leads (or the Development Team) see them.
    if (!this.mayManage(person.value, community)) return fail('not_allowed', `Only the leads of the ${community.name} can see its members.`);
    return ok({ community, members: await this.deps.repository.members([community.id]) });
  }

  /** Members of these communities, for an announcement's fan-out (the caller has checked who may announce). */
  membersOf(communityIds: readonly string[]): Promise<CommunityMember[]> {
    return this.deps.repository.members(communityIds);
  }

  findRequest(requestId: string): Promise<JoinRequest | undefined> {
    return this.deps.repository.findRequest(requestId);
  }

  private async refreshed(standing: Standing): Promise<Standing> {
    const [memberOf, requested] = await Promise.all([
      this.deps.repository.membershipsOf(standing.person.aadObjectId),
      this.deps.repository.pendingRequestsOf(standing.person.aadObjectId),
    ]);
    return { person: standing.person, memberOf: new Set(memberOf), requested: new Set(requested) };
  }
}

const notFound = () => fail('not_found', 'Development Hub does not know that community. It may have been renamed or closed.');
