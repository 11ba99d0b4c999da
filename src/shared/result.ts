/**
 * Expected failures are values with a stable snake_case code (session_full, not_allowed, …);
 * the edges turn them into error cards or 4xx JSON. Exceptions are for bugs and outages only.
 */
export type Failure<Code extends string = string> = {
  ok: false;
  code: Code;
  message: string;
  details?: Record<string, unknown>;
};
export type Success<T> = { ok: true; value: T };
export type Result<T, Code extends string = string> = Success<T> | Failure<Code>;

export const ok = <T>(value: T): Success<T> => ({ ok: true, value });
export const fail = <Code extends string>(
  code: Code,
  message: string,
  details?: Record<string, unknown>,
): Failure<Code> => (details ? { ok: false, code, message, details } : { ok: false, code, message });
