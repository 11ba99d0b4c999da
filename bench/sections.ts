import { announcementsBench } from './announcements.bench.js';
import { pacingSection } from './pacing.bench.js';
import { remindersBench } from './reminders.bench.js';
import { commissionsBench } from './commissions.bench.js';
import { resourcesSection } from './resources.bench.js';

/**
 * The bench is a list of sections, like the feature registry: each feature that has a benchmark adds
 * one entry here (its own file under bench/, e.g. bench/reminders.bench.ts). `npm run bench` runs the
 * CPD core bench (bench/run.ts) and then every section in order; `BENCH_ONLY=<name>` runs one section
 * alone (`BENCH_ONLY=precision` and `BENCH_ONLY=cpd` name the two parts of the core bench).
 *
 * A section prints its own Markdown (a heading, how it was measured, a table with targets and
 * PASS/FAIL) and returns whether every target passed; a failed target makes the bench exit 1.
 */
export interface BenchSection {
  /** Short, lower-case; what BENCH_ONLY matches. */
  name: string;
  run(): Promise<{ pass: boolean }>;
}

export const benchSections: BenchSection[] = [pacingSection, announcementsBench, resourcesSection, commissionsBench, remindersBench];
