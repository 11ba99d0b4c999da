import { z } from 'zod/v4';

/** Card verbs of the CPD feature. `cpd.book` is answered by the booking part of the feature. */
export const CPD_BOOK_VERB = 'cpd.book';
export const CPD_SEARCH_MORE_VERB = 'cpd.search.more';

const offeringId = z
  .string()
  .regex(/^[a-z0-9]+(?:[-_][a-z0-9]+)*$/, { message: 'is not an offering id' })
  .max(120);

/** Data on a results card's Book button. */
export const bookActionDataSchema = z.object({ offeringId });
export type BookActionData = z.infer<typeof bookActionDataSchema>;

/** Data on the More / Previous buttons: the question again and the page wanted. */
export const searchMoreDataSchema = z.object({
  query: z.string().trim().min(1).max(200),
  page: z.number().int().min(0).max(1000),
});
export type SearchMoreData = z.infer<typeof searchMoreDataSchema>;
