import { z } from 'zod/v4';

/** Card verbs of announcements. */
export const ANNOUNCEMENTS_SAVE_VERB = 'announcements.save';
export const ANNOUNCEMENTS_PREVIEW_VERB = 'announcements.preview';
export const ANNOUNCEMENTS_SEND_VERB = 'announcements.send';
export const ANNOUNCEMENTS_OPEN_VERB = 'announcements.open';
export const ANNOUNCEMENTS_STATUS_VERB = 'announcements.status';
export const ANNOUNCEMENTS_CANCEL_VERB = 'announcements.cancel';
export const ANNOUNCEMENTS_RECALL_VERB = 'announcements.recall';
export const ANNOUNCEMENTS_RSVP_VERB = 'announcements.rsvp';
export const ANNOUNCEMENTS_MUTE_VERB = 'announcements.mute';

/** Outbox jobs: expand the audience and start the senders; send (one lane each); delete what was sent. */
export const ANNOUNCEMENTS_START_JOB = 'announcements.start';
export const ANNOUNCEMENTS_DELIVER_JOB = 'announcements.deliver';
export const ANNOUNCEMENTS_RECALL_JOB = 'announcements.recall';

const id = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/).max(100);
/** Card inputs arrive as strings (or are missing when left empty); far longer than any cap is cut at the edge, then refused by the rules. */
const input = z.unknown().transform((value) => (typeof value === 'string' ? value.trim().slice(0, 60_000) : typeof value === 'number' ? String(value) : ''));
/** A multi-select ChoiceSet sends its values comma-separated. */
const choices = input.transform((value) => [...new Set(value.split(',').map((v) => v.trim()).filter(Boolean))].slice(0, 200));

/** The form's Action.Execute data: Teams merges the inputs into the button's data. */
export const formDataSchema = z.object({
  draftId: id,
  version: z.coerce.number().int().min(0).max(1_000_000),
  title: input,
  body: input,
  communityIds: choices,
  hubIds: choices,
  academyIds: choices,
  roles: choices,
  delivery: input,
  eventDate: input,
  eventTime: input,
  eventPlace: input,
  linkTitle: input,
  linkUrl: input,
  sendDate: input,
  sendTime: input,
});
export type AnnouncementFormData = z.infer<typeof formDataSchema>;

export const announcementRefSchema = z.object({ announcementId: id });
export const rsvpDataSchema = z.object({ announcementId: id, answer: z.enum(['going', 'not_going']) });
export const muteDataSchema = z.object({ announcementId: id, communityId: id, mute: z.boolean() });

export const startJobSchema = z.object({ announcementId: id });
export const deliverJobSchema = z.object({ announcementId: id, lane: z.number().int().min(0).max(64), round: z.number().int().min(0) });
export const recallJobSchema = z.object({ announcementId: id, round: z.number().int().min(0) });
