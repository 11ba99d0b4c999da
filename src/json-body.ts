import type { IncomingMessage } from 'node:http';
import type { Next, Request, Response } from 'restify';
import type { HttpErrorCode } from './shared/http-errors.js';

/**
 * The server's only body reader. Teams (and the Agents Playground) post uncompressed JSON, so that is
 * all it accepts: any other Content-Encoding or Content-Type is refused before a byte is read (restify's
 * own reader gunzipped without a limit on the output and let a corrupt gzip stream crash the process).
 * The size limit is checked against Content-Length up front and against the bytes as they arrive; past
 * it the answer is sent at once and the connection closed, so nothing is buffered beyond the limit.
 */
export interface BodyRejection {
  code: HttpErrorCode;
  detail: string;
}

export function jsonBodyReader(maxBytes: number, reject: (req: Request, res: Response, rejection: BodyRejection) => void) {
  return (req: Request, res: Response, next: Next): void => {
    const refusal = refuseBeforeReading(req, maxBytes);
    if (refusal === 'no_body') {
      next();
      return;
    }
    if (refusal) {
      closeAfterAnswer(req, res);
      reject(req, res, refusal);
      next(false);
      return;
    }
    const chunks: Buffer[] = [];
    let received = 0;
    let settled = false;
    const settle = (rejection?: BodyRejection): void => {
      if (settled) return;
      settled = true;
      req.removeListener('data', onData);
      if (rejection) {
        closeAfterAnswer(req, res);
        reject(req, res, rejection);
        next(false);
        return;
      }
      const parsed = parseJson(Buffer.concat(chunks, received));
      if (!parsed.ok) {
        reject(req, res, { code: 'invalid_body', detail: parsed.detail });
        next(false);
        return;
      }
      (req as Request & { body: unknown }).body = parsed.value;
      next();
    };
    const onData = (chunk: Buffer): void => {
      received += chunk.length;
      if (received > maxBytes) settle({ code: 'payload_too_large', detail: `body over ${maxBytes} bytes` });
      else chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => settle());
    // A client that hangs up mid-body has nobody to answer; just stop.
    req.once('error', () => {
      settled = true;
    });
    req.once('aborted', () => {
      settled = true;
    });
  };
}

function refuseBeforeReading(req: IncomingMessage, maxBytes: number): BodyRejection | 'no_body' | undefined {
  const length = req.headers['content-length'];
  const chunked = req.headers['transfer-encoding'] !== undefined;
  if (!chunked && (length === undefined || length === '0')) return 'no_body';
  const encoding = (req.headers['content-encoding'] ?? '').trim().toLowerCase();
  if (encoding !== '' && encoding !== 'identity') return { code: 'unsupported_media_type', detail: 'content-encoding refused' };
  const [type = '', ...params] = (req.headers['content-type'] ?? '').toLowerCase().split(';').map((p) => p.trim());
  if (!/^application\/([a-z0-9.+-]+\+)?json$/.test(type)) return { code: 'unsupported_media_type', detail: 'content-type refused' };
  const charset = params.find((p) => p.startsWith('charset='))?.slice('charset='.length).replace(/"/g, '');
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') return { code: 'unsupported_media_type', detail: 'charset refused' };
  if (length !== undefined && Number(length) > maxBytes) return { code: 'payload_too_large', detail: `content-length over ${maxBytes} bytes` };
  return undefined;
}

/** The rest of a refused body is not read: close the connection once the answer is out. */
function closeAfterAnswer(req: IncomingMessage, res: Response): void {
  res.setHeader('connection', 'close');
  res.once('finish', () => req.destroy());
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function parseJson(bytes: Buffer): { ok: true; value: unknown } | { ok: false; detail: string } {
  if (bytes.length === 0) return { ok: true, value: undefined };
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { ok: false, detail: 'body is not UTF-8' };
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, detail: 'body is not JSON' };
  }
}
