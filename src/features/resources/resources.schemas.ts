import { z } from 'zod/v4';

/** Data on a results card's More / Previous buttons: the words again and the page wanted. */
export const resourcesMoreDataSchema = z.object({
  query: z.string().trim().min(1).max(200),
  page: z.number().int().min(0).max(99),
});
export type ResourcesMoreData = z.infer<typeof resourcesMoreDataSchema>;
