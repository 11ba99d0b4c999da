import { defineApiRoute, type ApiRoute } from '../../shared/api-route.js';
import { fail, ok } from '../../shared/result.js';
import type { TrustProfile } from '../../trust/trust-profile.schema.js';
import { can } from '../people/people.domain.js';
import { COMMISSION_STATUSES, JUDGEMENT_LABELS, JUDGEMENTS } from './commissions.domain.js';
import { statusLabel } from './commissions.cards.js';
import type { Commission, CommissionRepository } from './commissions.repository.js';
import {
  agreeBodySchema,
  channelBodySchema,
  closeBodySchema,
  declineBodySchema,
  idParamsSchema,
  LIMITS,
  listQuerySchema,
  noteBodySchema,
  raiseBodySchema,
  reviewBodySchema,
  stepBodySchema,
  uptakeQuerySchema,
} from './commissions.schemas.js';
import type { CommissionService } from './commissions.service.js';
import type { CpdUptake } from './cpd-uptake.js';

/** How much of the need a list row carries: enough to recognise it; the detail has the rest. */
const SUMMARY_CHARS = 160;

export function summary(c: Commission) {
  return {
    id: c.id,
    reference: c.reference,
    academyId: c.academyId,
    supportTypeId: c.supportTypeId,
    status: c.status,
    version: c.version,
    need: c.need.length > SUMMARY_CHARS ? `${c.need.slice(0, SUMMARY_CHARS - 1)}…` : c.need,
    externalSchoolName: c.externalSchool?.name ?? null,
    startDate: c.startDate,
    endDate: c.endDate,
    measureCount: c.measures.length,
    raisedByName: c.raisedByName,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}

/**
 * The commission tab's API: thin handlers (parse at the edge → one service call → JSON). Every
 * read and write goes through the service's `can()` checks; this file only shapes answers.
 */
export function commissionRoutes(deps: { service: CommissionService; uptake: CpdUptake; repository: CommissionRepository; profile: TrustProfile }): ApiRoute[] {
  const { service, profile } = deps;
  const step = (path: string, name: 'start' | 'begin_review') =>
    defineApiRoute({
      method: 'POST',
      path: `commissions/:id/${path}`,
      params: idParamsSchema,
      body: stepBodySchema,
      handle: async ({ person, params, body }) => service.step(person, params.id, body.version, { step: name, note: body.note }),
    });
  return [
    defineApiRoute({
      method: 'GET',
      path: 'commissions/options',
      handle: async ({ person }) =>
        ok({
          academies: service.visibleAcademies(person).map((a) => ({ id: a.id, name: a.name, canRaise: can(person, 'commissions.raise', { academyId: a.id }) })),
          supportTypes: profile.bespokeSupport.types.map((t) => ({ id: t.id, label: t.label, summary: t.summary ?? '', recipient: t.recipient })),
          statuses: COMMISSION_STATUSES.map((id) => ({ id, label: statusLabel(profile, id) })),
          judgements: JUDGEMENTS.map((id) => ({ id, label: JUDGEMENT_LABELS[id] })),
          canManage: service.canManage(person),
          limits: LIMITS,
        }),
    }),
    defineApiRoute({
      method: 'GET',
      path: 'commissions',
      query: listQuerySchema,
      handle: async ({ person, query }) => {
        const listed = await service.list(person, query.academyId);
        return listed.ok ? ok({ commissions: listed.value.commissions.map(summary), counts: listed.value.counts }) : listed;
      },
    }),
    defineApiRoute({
      method: 'GET',
      path: 'commissions/cpd-uptake',
      query: uptakeQuerySchema,
      handle: async ({ person, query }) => {
        if (!profile.academies.some((a) => a.id === query.academyId)) return fail('unknown_academy', 'The trust has no academy with that id.');
        const months = await deps.uptake.forAcademy(person, query.academyId);
        return months.ok ? ok({ academyId: query.academyId, months: months.value }) : months;
      },
    }),
    defineApiRoute({
      method: 'PUT',
      path: 'commissions/channel',
      body: channelBodySchema,
      handle: async ({ person, body }) => {
        if (!profile.academies.some((a) => a.id === body.academyId)) return fail('unknown_academy', 'The trust has no academy with that id.');
        if (!can(person, 'commissions.raise', { academyId: body.academyId })) return fail('not_allowed', 'Only the academy\'s leaders or the Director of Education choose its commissions channel.');
        await deps.repository.linkChannel(body, person.aadObjectId);
        return ok({ linked: true });
      },
    }),
    defineApiRoute({
      method: 'GET',
      path: 'commissions/:id',
      params: idParamsSchema,
      handle: async ({ person, params }) => service.detail(person, params.id),
    }),
    defineApiRoute({
      method: 'POST',
      path: 'commissions',
      body: raiseBodySchema,
      successStatus: 201,
      handle: async ({ person, body }) => {
        const raised = await service.raise(person, body);
        return raised.ok ? service.detail(person, raised.value.commission.id) : raised;
      },
    }),
    defineApiRoute({
      method: 'POST',
      path: 'commissions/:id/agree',
      params: idParamsSchema,
      body: agreeBodySchema,
      handle: async ({ person, params, body }) => service.step(person, params.id, body.version, { step: 'agree', body }),
    }),
    defineApiRoute({
      method: 'POST',
      path: 'commissions/:id/decline',
      params: idParamsSchema,
      body: declineBodySchema,
      handle: async ({ person, params, body }) => service.step(person, params.id, body.version, { step: 'decline', reason: body.reason }),
    }),
    step('start', 'start'),
    step('begin-review', 'begin_review'),
    defineApiRoute({
      method: 'POST',
      path: 'commissions/:id/close',
      params: idParamsSchema,
      body: closeBodySchema,
      handle: async ({ person, params, body }) => service.step(person, params.id, body.version, { step: 'close', judgements: body.judgements, note: body.note }),
    }),
    defineApiRoute({
      method: 'POST',
      path: 'commissions/:id/reviews',
      params: idParamsSchema,
      body: reviewBodySchema,
      handle: async ({ person, params, body }) => service.recordReview(person, params.id, body.version, body.text),
    }),
    defineApiRoute({
      method: 'POST',
      path: 'commissions/:id/notes',
      params: idParamsSchema,
      body: noteBodySchema,
      handle: async ({ person, params, body }) => service.addNote(person, params.id, body.version, body.text),
    }),
  ];
}
