import type { Migration } from 'kysely';
import * as core from './0001-core.js';

/**
 * Every migration, in order. Listed statically (not read from disk) so the compiled
 * app and the tests run the same set. Never edit a released migration: add the next one.
 */
export const migrations: Record<string, Migration> = {
  '0001-core': core,
};
