import http from 'node:http';

export interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  /** Parsed JSON body, or undefined when the body is not JSON. */
  json: unknown;
  ms: number;
}

/**
 * One HTTP request with exactly the headers and body bytes given (fetch adds and forbids headers),
 * optionally sent in chunks. A server that closes the connection after answering still yields its answer.
 */
export function rawRequest(
  baseUrl: string,
  options: { method?: string; path?: string; headers?: Record<string, string>; body?: Buffer | string | Buffer[]; timeoutMs?: number },
): Promise<RawAnswer> {
  const url = new URL(options.path ?? '/api/messages', baseUrl);
  const started = Date.now();
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = http.request(url, { method: options.method ?? 'POST', headers: options.headers ?? {}, agent: false }, (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = text ? JSON.parse(text) : undefined;
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json, ms: Date.now() - started });
      });
    });
    req.setTimeout(options.timeoutMs ?? 15_000, () => req.destroy(new Error('request timed out')));
    // The server may answer and close before the whole body is sent: that is an answer, not a failure.
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE' || error.code === 'ECONNRESET') {
        setTimeout(() => answered || reject(error), 1000).unref();
        return;
      }
      reject(error);
    });
    const parts = Array.isArray(options.body) ? options.body : options.body === undefined ? [] : [options.body];
    for (const part of parts) req.write(part);
    req.end();
  });
}
