import type { Response } from 'restify';

/**
 * Statuses of the tab API's failure codes. Features return their own stable snake_case codes in a
 * Result; these decide the status, and anything unlisted is a 422 (the request was understood but its
 * content breaks a rule: a measure without a target, dates out of order).
 */
const STATUS: Record<string, number> = {
  invalid_request: 400,
  token_missing: 401,
  token_invalid: 401,
  token_expired: 401,
  token_wrong_audience: 401,
  token_wrong_tenant: 401,
  token_wrong_scope: 401,
  not_allowed: 403,
  person_not_in_directory: 403,
  not_found: 404,
  method_not_allowed: 405,
  version_conflict: 409,
  illegal_transition: 409,
  server_error: 500,
  auth_not_configured: 503,
  auth_keys_unavailable: 503,
  directory_unavailable: 503,
};

export const statusForCode = (code: string): number => STATUS[code] ?? 422;

export interface ApiErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

export function sendApiError(res: Response, code: string, message: string, details?: Record<string, unknown>): void {
  res.header('Cache-Control', 'no-store');
  res.status(statusForCode(code));
  res.json({ error: details ? { code, message, details } : { code, message } } satisfies ApiErrorBody);
}
