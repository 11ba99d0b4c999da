import type { z } from 'zod/v4';

/** A problem in a data file: where (a field path such as academies[2].hubId) and what, as a predicate. */
export interface FileProblem {
  path: ReadonlyArray<PropertyKey>;
  /** Reads after the field path: `"north" is not one of the hubs (central, east)`. */
  problem: string;
}

/** academies[2].hubId — the way a person finds the field in the JSON file. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}

/** One sentence: `<label>: <field path> <problem>.` */
export function sentence(label: string, problem: FileProblem): string {
  const where = formatPath(problem.path);
  const body = where ? `${where} ${problem.problem}` : problem.problem;
  return `${label}: ${body.replace(/[.\s]+$/, '')}.`;
}

const quoted = (value: unknown): string =>
  typeof value === 'string' ? `"${value}"` : typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';

const typeNames: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'an object',
};

/** Zod's built-in messages name zod's types; these say what to write instead. */
export function describeIssue(issue: z.core.$ZodIssue): FileProblem {
  const input = 'input' in issue ? issue.input : undefined;
  const custom = !/^(Invalid|Too small|Too big|Unrecognized)/.test(issue.message);
  const withValue = (predicate: string): string => {
    const shown = quoted(input);
    return shown ? `${shown} ${predicate}` : predicate;
  };
  switch (issue.code) {
    case 'invalid_type':
      if (input === undefined) return { path: issue.path, problem: 'is missing' };
      return { path: issue.path, problem: custom ? issue.message : `must be ${typeNames[issue.expected] ?? issue.expected}` };
    case 'unrecognized_keys':
      return {
        path: [...issue.path, issue.keys[0] ?? '?'],
        problem: 'is not a recognised field (check its spelling)',
      };
    case 'invalid_value':
      return {
        path: issue.path,
        problem: custom ? withValue(issue.message) : withValue(`is not one of ${issue.values.map(String).join(', ')}`),
      };
    case 'too_small':
      if (custom) return { path: issue.path, problem: issue.message };
      if (issue.origin === 'array') {
        return { path: issue.path, problem: `must list at least ${String(issue.minimum)} item${Number(issue.minimum) === 1 ? '' : 's'}` };
      }
      if (issue.origin === 'string') return { path: issue.path, problem: `must be at least ${String(issue.minimum)} characters` };
      return { path: issue.path, problem: withValue(`must be at least ${String(issue.minimum)}`) };
    case 'too_big':
      if (custom) return { path: issue.path, problem: issue.message };
      if (issue.origin === 'string') return { path: issue.path, problem: `must be at most ${String(issue.maximum)} characters` };
      if (issue.origin === 'array') return { path: issue.path, problem: `must list at most ${String(issue.maximum)} items` };
      return { path: issue.path, problem: withValue(`must be at most ${String(issue.maximum)}`) };
    case 'invalid_format':
    case 'custom':
      return { path: issue.path, problem: withValue(issue.message) };
    case 'not_multiple_of':
    case 'invalid_union':
    case 'invalid_key':
    case 'invalid_element':
      return { path: issue.path, problem: issue.message };
  }
}
