import { z } from 'zod/v4';
import { JUDGEMENTS } from './commissions.domain.js';

/** Outbox jobs: the Director of Education's card when a commission is raised; the academy channel's card on each status change. */
export const COMMISSIONS_NOTIFY_DIRECTOR_JOB = 'commissions.notify_director';
export const COMMISSIONS_CHANNEL_CARD_JOB = 'commissions.channel_card';

/** Caps on free text: long enough for a real need statement, short enough for a card and a page. */
export const LIMITS = { short: 200, text: 4000, measures: 12, staff: 10, outcomes: 12, updateText: 2000 } as const;

const id = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, { message: 'must be an id' }).max(100);
const slug = z.string().regex(/^[a-z0-9]+(?:[-_][a-z0-9]+)*$/, { message: 'must be an id' }).max(100);
const words = (max: number, what: string) =>
  z
    .string({ message: `${what} is required` })
    .trim()
    .min(1, { message: `${what} is required` })
    .max(max, { message: `${what} must be at most ${max} characters` });
const optionalWords = (max: number, what: string) =>
  z.string().trim().max(max, { message: `${what} must be at most ${max} characters` }).default('');
const date = (what: string) => z.iso.date({ message: `${what} must be a date (YYYY-MM-DD)` });
const version = z.number({ message: 'version is required' }).int().min(1).max(1_000_000);

export const measureInputSchema = z.strictObject({
  description: words(LIMITS.short * 2, 'Each measure\'s description'),
  baseline: words(LIMITS.short, 'Each measure\'s baseline'),
  target: words(LIMITS.short, 'Each measure\'s target'),
  reviewDate: date('Each measure\'s review date'),
});

export const raiseBodySchema = z.strictObject({
  submissionKey: id,
  academyId: slug,
  supportTypeId: slug,
  need: words(LIMITS.text, 'The need'),
  evidence: words(LIMITS.text, 'The evidence'),
  externalSchool: z
    .strictObject({
      name: words(LIMITS.short, 'The school\'s name'),
      keyOutcomes: z.array(words(LIMITS.short * 2, 'Each key outcome')).min(1, { message: 'Give at least one key outcome' }).max(LIMITS.outcomes),
      termCount: z.number({ message: 'The number of terms is required' }).int().min(1).max(12),
    })
    .optional(),
});
export type RaiseBody = z.infer<typeof raiseBodySchema>;

export const agreeBodySchema = z.strictObject({
  version,
  measures: z.array(measureInputSchema).max(LIMITS.measures, { message: `At most ${LIMITS.measures} impact measures` }),
  assignedStaff: z.array(words(LIMITS.short, 'Each assigned person')).max(LIMITS.staff),
  startDate: date('The start date'),
  endDate: date('The end date'),
  note: optionalWords(LIMITS.updateText, 'The note'),
});
export type AgreeBody = z.infer<typeof agreeBodySchema>;

export const declineBodySchema = z.strictObject({ version, reason: words(LIMITS.updateText, 'The reason') });
export const stepBodySchema = z.strictObject({ version, note: optionalWords(LIMITS.updateText, 'The note') });
export const reviewBodySchema = z.strictObject({ version, text: words(LIMITS.updateText, 'The review') });
export const noteBodySchema = z.strictObject({ version, text: words(LIMITS.updateText, 'The update') });
export const closeBodySchema = z.strictObject({
  version,
  judgements: z
    .array(z.strictObject({ measureId: id, judgement: z.enum(JUDGEMENTS, { message: 'Each judgement must be met, partly met or not met' }), note: optionalWords(LIMITS.short * 2, 'Each judgement note') }))
    .max(LIMITS.measures),
  note: optionalWords(LIMITS.updateText, 'The note'),
});

export const listQuerySchema = z.strictObject({ academyId: slug.optional() });
export const uptakeQuerySchema = z.strictObject({ academyId: slug });
export const idParamsSchema = z.strictObject({ id });
export const channelBodySchema = z.strictObject({
  academyId: slug,
  teamId: z.string().regex(/^19:[^\s;]+@thread\.[a-z0-9]+$/, { message: 'must be a Teams thread id' }).max(300),
  channelId: z.string().regex(/^19:[^\s;]+@thread\.[a-z0-9]+$/, { message: 'must be a Teams thread id' }).max(300),
  entityId: id,
});

export const commissionJobPayloadSchema = z.object({
  commissionId: id,
  version: z.number().int().min(1),
  status: z.enum(['requested', 'agreed', 'in_progress', 'impact_review', 'closed', 'declined']).optional(),
});
