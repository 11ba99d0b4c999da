import { ClientSecretCredential, ManagedIdentityCredential, type AccessToken, type TokenCredential } from '@azure/identity';
import {
  Client,
  HTTPMessageHandler,
  RedirectHandler,
  RetryHandler,
  RetryHandlerOptions,
  TelemetryHandler,
  type Context,
  type Middleware,
} from '@microsoft/microsoft-graph-client';
import type { Config } from '../config.js';

/**
 * Microsoft Graph, app-only: the bot's own Entra ID app (client secret) or its user-assigned
 * managed identity gets tokens from @azure/identity, and the official Graph client sends the
 * requests. Both the token authority and the Graph base URL come from config, which is how
 * tests point them at the Graph stand-in.
 */

export class GraphConfigurationError extends Error {
  override name = 'GraphConfigurationError';
}

/** Bounds on retrying 429/503/504, so a bot turn (about 15 s in Teams) is never held hostage. */
export interface GraphRetryPolicy {
  maxRetries: number;
  /** Base delay when Graph sends no Retry-After; the library adds jitter and exponential growth. */
  delaySeconds: number;
  /** A Retry-After longer than this is not waited for: the call fails and the caller decides. */
  maxRetryAfterSeconds: number;
}

export const defaultGraphRetryPolicy: GraphRetryPolicy = { maxRetries: 2, delaySeconds: 1, maxRetryAfterSeconds: 5 };

const KNOWN_AUTHORITY_HOSTS = new Set([
  'login.microsoftonline.com',
  'login.microsoftonline.us',
  'login.chinacloudapi.cn',
  'login.partner.microsoftonline.cn',
]);

const GRAPH_HOSTS = new Set(['graph.microsoft.com', 'graph.microsoft.us', 'dod-graph.microsoft.us', 'microsoftgraph.chinacloudapi.cn']);

export interface GraphCredentialOptions {
  /**
   * Extra trusted CA certificate(s), PEM, for the token authority's TLS. MSAL only accepts https
   * authorities, so tests serve the stand-in's token endpoint over https with a self-signed
   * certificate and pass it here. Production leaves it unset.
   */
  authorityCa?: string;
}

/** The app-only credential for Graph: client secret for app-registration bots, managed identity otherwise. */
export function createGraphCredential(
  config: Pick<Config, 'graph'>,
  options: GraphCredentialOptions = {},
): TokenCredential {
  const identity = config.graph.identity;
  switch (identity.mode) {
    case 'none':
      throw new GraphConfigurationError(
        'Microsoft Graph needs an app identity: set BOT_ID and BOT_PASSWORD (or a managed identity, or GRAPH_CLIENT_ID and GRAPH_CLIENT_SECRET), or set PEOPLE_DIRECTORY=sample.',
      );
    case 'managed_identity':
      // On App Service the platform supplies IDENTITY_ENDPOINT and IDENTITY_HEADER.
      return new ManagedIdentityCredential({ clientId: identity.clientId });
    case 'secret': {
      if (!identity.tenantId) {
        throw new GraphConfigurationError(
          'Environment variable BOT_TENANT_ID is missing: Microsoft Graph app-only tokens are issued by the trust\'s own tenant.',
        );
      }
      const authority = new URL(config.graph.authorityHost);
      return new ClientSecretCredential(identity.tenantId, identity.clientId, identity.secret, {
        authorityHost: authority.origin,
        // Instance discovery asks Microsoft whether the authority is genuine; a sovereign or
        // test authority it does not list must skip it.
        disableInstanceDiscovery: !KNOWN_AUTHORITY_HOSTS.has(authority.hostname),
        ...(options.authorityCa ? { tlsOptions: { ca: options.authorityCa } } : {}),
      });
    }
  }
}

/** The token audience for a Graph base URL: its own origin for Microsoft's clouds, public Graph otherwise. */
export function graphScope(baseUrl: string): string {
  const url = new URL(baseUrl);
  return GRAPH_HOSTS.has(url.hostname) ? `${url.origin}/.default` : 'https://graph.microsoft.com/.default';
}

/** A held token is fetched afresh once it has less than this to live. */
const TOKEN_REUSE_MARGIN_MS = 5 * 60_000;

/**
 * Adds the bearer token to requests for the configured Graph origin only, whatever its scheme.
 * (The library's own AuthenticationHandler recognises https Graph hosts only, so it would not
 * authenticate a plain-http stand-in; a token must never leave for any other origin.)
 */
class GraphBearerTokenHandler implements Middleware {
  private next: Middleware | undefined;
  /** The token in use, kept until it nears expiry (or the credential's own refresh time). */
  private current: AccessToken | undefined;
  private fetching: Promise<AccessToken | null> | undefined;

  constructor(
    private readonly credential: TokenCredential,
    private readonly scope: string,
    private readonly origin: string,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * @azure/identity caches tokens too, but looking one up in MSAL's cache cost about 0.4 ms of CPU on
   * every Graph request; a token with more than TOKEN_REUSE_MARGIN_MS to live is simply reused.
   */
  private async token(): Promise<AccessToken | null> {
    const held = this.current;
    const now = this.now();
    if (held && held.expiresOnTimestamp - now > TOKEN_REUSE_MARGIN_MS && (held.refreshAfterTimestamp === undefined || now < held.refreshAfterTimestamp)) return held;
    this.fetching ??= this.credential.getToken(this.scope).finally(() => {
      this.fetching = undefined;
    });
    const fresh = await this.fetching;
    this.current = fresh ?? undefined;
    return fresh;
  }

  async execute(context: Context): Promise<void> {
    // The library types requests with DOM names this Node project does not load.
    const request = context.request as unknown;
    const url = typeof request === 'string' ? request : (request as { url: string }).url;
    if (new URL(url).origin === this.origin) {
      const token = await this.token();
      if (!token) throw new Error('The Microsoft Graph credential returned no access token.');
      context.options ??= {};
      const headers = new Headers(context.options.headers);
      headers.set('Authorization', `Bearer ${token.token}`);
      context.options.headers = headers;
    }
    await this.next!.execute(context);
  }

  setNext(next: Middleware): void {
    this.next = next;
  }
}

export interface GraphClientOptions {
  credential?: TokenCredential;
  /** Wall-clock ms for the held token's expiry check (tests). */
  now?: () => number;
  retry?: Partial<GraphRetryPolicy>;
  credentialOptions?: GraphCredentialOptions;
}

export interface GraphConnection {
  client: Client;
  /** e.g. https://graph.microsoft.com/v1.0 — the prefix of every @odata.nextLink Graph returns. */
  baseUrl: string;
}

/** Seconds in a Retry-After header (delta-seconds or an HTTP date), or null when absent/unreadable. */
export function retryAfterSeconds(value: string | null, now: number = Date.now()): number | null {
  if (value === null || value.trim() === '') return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, (at - now) / 1000);
}

export function createGraphClient(config: Pick<Config, 'graph'>, options: GraphClientOptions = {}): GraphConnection {
  const policy = { ...defaultGraphRetryPolicy, ...options.retry };
  const credential = options.credential ?? createGraphCredential(config, options.credentialOptions);
  const base = new URL(config.graph.baseUrl.replace(/\/+$/, ''));
  const segments = base.pathname.split('/').filter(Boolean);
  const version = segments.pop() ?? 'v1.0';
  const host = `${base.origin}${segments.length ? `/${segments.join('/')}` : ''}`;

  const retryOptions = new RetryHandlerOptions(policy.delaySeconds, policy.maxRetries, (_delay, _attempt, _req, _opts, response) => {
    const wait = retryAfterSeconds(response.headers.get('Retry-After'));
    return wait === null || wait <= policy.maxRetryAfterSeconds;
  });
  const chain: Middleware[] = [
    new GraphBearerTokenHandler(credential, graphScope(config.graph.baseUrl), base.origin, options.now),
    new RetryHandler(retryOptions),
    new RedirectHandler(),
    new TelemetryHandler(),
    new HTTPMessageHandler(),
  ];
  const client = Client.initWithMiddleware({ middleware: chain, baseUrl: host, defaultVersion: version });
  return { client, baseUrl: `${host}/${version}` };
}
