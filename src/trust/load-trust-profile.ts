import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describeIssue, sentence, type FileProblem } from './describe-issue.js';
import { findProfileProblem } from './trust-profile.checks.js';
import { trustProfileSchema, type TrustProfile } from './trust-profile.schema.js';

export type { TrustProfile } from './trust-profile.schema.js';

/** A data file the app cannot start with; the message is one sentence naming the file and field. */
export class TrustDataError extends Error {
  override name = 'TrustDataError';
}

/** The path as a person would type it: relative to the working directory when inside it. */
export function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}

/** Reads and parses a JSON data file, or throws TrustDataError saying why it cannot be read. */
export function readJsonFile(file: string, label: string): unknown {
  let raw: string;
  try {
    raw = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? String(error)})`;
    throw new TrustDataError(`${label} ${displayPath(file)} ${why}.`, { cause: error });
  }
  try {
    return JSON.parse(raw) as unknown;
  } catch (error) {
    const reason = error instanceof Error ? error.message.replace(/\.$/, '') : String(error);
    throw new TrustDataError(`${label} ${displayPath(file)} is not valid JSON: ${reason}.`, { cause: error });
  }
}

/** Validates already-parsed profile data; `source` names it in the error sentence. */
export function parseTrustProfile(data: unknown, source: string): TrustProfile {
  const label = `Trust profile ${source}`;
  const parsed = trustProfileSchema.safeParse(data, { reportInput: true });
  if (!parsed.success) {
    throw new TrustDataError(sentence(label, describeIssue(parsed.error.issues[0])));
  }
  const problem: FileProblem | null = findProfileProblem(parsed.data);
  if (problem) throw new TrustDataError(sentence(label, problem));
  return parsed.data;
}

/**
 * Loads the trust profile the app runs with (config.trustProfilePath). Throws TrustDataError with
 * one sentence naming the bad field, e.g. `Trust profile x.json: academies[2].hubId "north" is not
 * one of the hubs (central, east).`, so the process refuses to start with a clear reason.
 */
export function loadTrustProfile(file: string): TrustProfile {
  return parseTrustProfile(readJsonFile(file, 'Trust profile'), displayPath(file));
}

/** Absolute path of the profile's sample roster, if it names one (relative to the profile file). */
export function sampleRosterPath(profileFile: string, profile: TrustProfile): string | undefined {
  return profile.sampleRoster === undefined ? undefined : path.resolve(path.dirname(profileFile), profile.sampleRoster);
}
