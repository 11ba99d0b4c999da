/**
 * Every error the HTTP server answers with, in one table: the stable `code` clients (and our tests)
 * rely on, its status, and the one sentence the body carries. No answer ever quotes an internal
 * message, a stack trace or SQL: the sentence here is the whole explanation a caller gets.
 */
export const httpErrors = {
  invalid_body: { status: 400, message: 'The request body is not valid JSON.' },
  invalid_activity: { status: 400, message: 'The request body is not a Bot Framework activity.' },
  unauthorized: { status: 401, message: 'The request does not carry a valid Bot Framework token.' },
  forbidden: { status: 403, message: 'The request is not allowed.' },
  not_found: { status: 404, message: 'There is nothing at this address.' },
  method_not_allowed: { status: 405, message: 'This address does not accept that method.' },
  payload_too_large: { status: 413, message: 'The request body is larger than this endpoint accepts.' },
  unsupported_media_type: { status: 415, message: 'Send the body as uncompressed JSON (Content-Type: application/json).' },
  link_expired: { status: 410, message: 'This download link has expired or was already used: ask Development Hub for a new one.' },
  request_failed: { status: 400, message: 'The request could not be read.' },
  server_error: { status: 500, message: 'The request could not be processed.' },
  auth_unavailable: { status: 503, message: 'Bot Framework sign-in keys could not be fetched; try again shortly.' },
  service_unavailable: { status: 503, message: 'The service is unavailable; try again shortly.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type HttpErrorCode = keyof typeof httpErrors;

export interface HttpErrorBody {
  error: { code: HttpErrorCode; message: string };
}

export function httpErrorBody(code: HttpErrorCode): HttpErrorBody {
  return { error: { code, message: httpErrors[code].message } };
}

/** The code for a status that reached the server's generic error path (restify's own errors). */
export function codeForStatus(status: number): HttpErrorCode {
  switch (status) {
    case 400:
      return 'invalid_body';
    case 401:
      return 'unauthorized';
    case 403:
      return 'forbidden';
    case 404:
      return 'not_found';
    case 405:
      return 'method_not_allowed';
    case 413:
      return 'payload_too_large';
    case 415:
      return 'unsupported_media_type';
    case 503:
      return 'service_unavailable';
    default:
      return status >= 400 && status < 500 ? 'request_failed' : 'server_error';
  }
}
