import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The Bot Framework token service (api.botframework.com) as botbuilder's UserTokenClient calls it,
 * for one OAuth connection: GET api/usertoken/GetToken (404 without a token, a magic code claims a
 * pending sign-in), POST api/usertoken/exchange (Teams' SSO token for the connection's token, the
 * silent sign-in), GET api/botsignin/GetSignInResource (the OAuth card's link and token-exchange
 * resource), DELETE api/usertoken/SignOut.
 *
 *   tokens.allowExchange(teamsToken, userId, connectionToken) — what a Teams SSO token exchanges to
 *   tokens.pendingSignIn(magicCode, userId, connectionToken)   — a finished sign-in popup's code
 *   tokens.signedIn(userId, connectionToken)                    — already signed in
 * Records every request (path, query, body) in `requests`.
 */
export class TokenServiceStandIn {
  readonly requests: Array<{ method: string; path: string; query: Record<string, string>; body: unknown }> = [];
  url = '';
  private readonly tokens = new Map<string, string>();
  private readonly exchanges = new Map<string, { userId: string; token: string }>();
  private readonly codes = new Map<string, { userId: string; token: string }>();
  private server: Server | undefined;

  constructor(readonly connectionName: string) {}

  static async start(connectionName = 'graph-sso'): Promise<TokenServiceStandIn> {
    const standIn = new TokenServiceStandIn(connectionName);
    standIn.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://stand-in');
        const text = Buffer.concat(chunks).toString('utf8');
        const body: unknown = text ? JSON.parse(text) : undefined;
        const query = Object.fromEntries(url.searchParams);
        standIn.requests.push({ method: req.method ?? 'GET', path: url.pathname, query, body });
        const { status, json } = standIn.answer(req.method ?? 'GET', url.pathname, query, body);
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(json));
      });
    });
    await new Promise<void>((resolve) => standIn.server!.listen(0, '127.0.0.1', resolve));
    standIn.url = `http://127.0.0.1:${(standIn.server.address() as AddressInfo).port}`;
    return standIn;
  }

  allowExchange(teamsToken: string, userId: string, token: string): void {
    this.exchanges.set(teamsToken, { userId, token });
  }
  pendingSignIn(code: string, userId: string, token: string): void {
    this.codes.set(code, { userId, token });
  }
  signedIn(userId: string, token: string): void {
    this.tokens.set(userId, token);
  }
  signOutAll(): void {
    this.tokens.clear();
  }
  requestsTo(path: string): TokenServiceStandIn['requests'] {
    return this.requests.filter((r) => r.path === path);
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server?.closeAllConnections();
      this.server?.close(() => resolve());
    });
  }

  private tokenResponse(token: string): Record<string, unknown> {
    return { channelId: 'msteams', connectionName: this.connectionName, token, expiration: new Date(Date.now() + 3600_000).toISOString() };
  }

  private answer(method: string, path: string, query: Record<string, string>, body: unknown): { status: number; json: unknown } {
    const userId = query.userId ?? '';
    if (query.connectionName !== undefined && query.connectionName !== this.connectionName) return { status: 400, json: { error: { code: 'ServiceError', message: 'Unknown connection' } } };
    if (method === 'GET' && path === '/api/usertoken/GetToken') {
      const pending = query.code ? this.codes.get(query.code) : undefined;
      if (pending && pending.userId === userId) {
        this.codes.delete(query.code);
        this.tokens.set(userId, pending.token);
      }
      const token = this.tokens.get(userId);
      return token ? { status: 200, json: this.tokenResponse(token) } : { status: 404, json: {} };
    }
    if (method === 'POST' && path === '/api/usertoken/exchange') {
      const teamsToken = (body as { token?: unknown } | undefined)?.token;
      const allowed = typeof teamsToken === 'string' ? this.exchanges.get(teamsToken) : undefined;
      if (!allowed || allowed.userId !== userId) return { status: 400, json: { error: { code: 'ServiceError', message: 'Token exchange failed (consent required)' } } };
      this.tokens.set(userId, allowed.token);
      return { status: 200, json: this.tokenResponse(allowed.token) };
    }
    if (method === 'GET' && path === '/api/botsignin/GetSignInResource') {
      return {
        status: 200,
        json: {
          signInLink: `${this.url}/signin?state=${encodeURIComponent(query.state ?? '')}`,
          tokenExchangeResource: { id: 'exchange-1', uri: 'api://botid-00000000-0000-4000-8000-00000000bbbb', providerId: 'aad-v2' },
        },
      };
    }
    if (method === 'DELETE' && path === '/api/usertoken/SignOut') {
      this.tokens.delete(userId);
      return { status: 200, json: {} };
    }
    return { status: 404, json: { error: { code: 'NotFound', message: `${method} ${path}` } } };
  }
}
