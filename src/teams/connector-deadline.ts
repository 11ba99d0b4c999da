import type { Pipeline } from '@azure/core-rest-pipeline';
import type { ConnectorClient, ConnectorFactory } from 'botframework-connector';
import { connectorDeadlinePolicy, leanActivityCalls } from './connector-calls.js';

/**
 * Bounds every outbound call to the Bot Connector (reply, update, proactive send) in time, the
 * client's own retries included. The connector client's pipeline retries a connection failure
 * three times with growing delays, so an unreachable serviceUrl held a turn (and Teams' HTTP
 * request) for 9–11 s; with this the call fails within `timeoutMs` instead.
 *
 * botbuilder builds a new ConnectorClient per turn and overwrites any `requestPolicyFactories`
 * passed in its options, so the deadline is added to each client's pipeline as it is created. It
 * sits before the retry policy: the abort signal it sets is shared by every attempt, so the whole
 * call, not each attempt, ends by the deadline.
 */
export const CONNECTOR_DEADLINE_POLICY = 'developmentHubConnectorDeadline';

export function addConnectorDeadline(client: ConnectorClient, timeoutMs: number): ConnectorClient {
  // ServiceClientContext keeps its core-client ServiceClient in a field its typings mark private.
  const pipeline = (client as unknown as { client?: { pipeline?: Pipeline } }).client?.pipeline;
  if (!pipeline) throw new Error('connector client has no pipeline: botbuilder changed shape, the connector deadline cannot be set');
  if (pipeline.getOrderedPolicies().some((p) => p.name === CONNECTOR_DEADLINE_POLICY)) return client;
  pipeline.addPolicy(connectorDeadlinePolicy(CONNECTOR_DEADLINE_POLICY, timeoutMs));
  return client;
}

/** The retry policy @azure/core-rest-pipeline puts in every ConnectorClient (429 Retry-After, 5xx, network). */
export const CONNECTOR_RETRY_POLICY = 'defaultRetryPolicy';

/**
 * Takes the client's own retries out: for proactive sends the send pacer decides when to try again
 * (a throttle pauses every instance and the durable job returns later); a client that waited out
 * Retry-After by itself, on every instance at once, would fight that.
 */
export function removeConnectorRetry(client: ConnectorClient): ConnectorClient {
  const pipeline = (client as unknown as { client?: { pipeline?: Pipeline } }).client?.pipeline;
  if (!pipeline) throw new Error('connector client has no pipeline: botbuilder changed shape, its retries cannot be turned off');
  pipeline.removePolicy({ name: CONNECTOR_RETRY_POLICY });
  return client;
}

/**
 * Connector clients kept for reuse. botbuilder builds a new ConnectorClient, with its whole request
 * pipeline and credentials object, for every turn and every proactive send: at a fan-out's 200 sends
 * a second that allocation alone brought major GC pauses of 40–80 ms, and every paced slot inside a
 * pause was lost. A client holds nothing per call (its credentials cache and renew their own token),
 * so one per bot identity, cloud, service URL and retry setting serves every call made with them.
 * The adapter keeps its user-token clients (SSO) in one too, by app id.
 */
export class ConnectorClientCache<Client = ConnectorClient> {
  private readonly clients = new Map<string, Promise<Client>>();

  constructor(private readonly maxEntries = 64) {}

  get size(): number {
    return this.clients.size;
  }

  get(key: string, build: () => Promise<Client>): Promise<Client> {
    const known = this.clients.get(key);
    if (known) return known;
    // A service URL per region and a few identities in practice: the oldest goes first if ever many.
    if (this.clients.size >= this.maxEntries) this.clients.delete(this.clients.keys().next().value!);
    const built = build();
    this.clients.set(key, built);
    // A failed build (credentials that could not be made) is not kept: the next call tries again.
    built.catch(() => this.clients.delete(key));
    return built;
  }
}

/** What a botbuilder ConnectorFactoryImpl is made from (its fields are public in JavaScript, absent from its typings). */
interface FactoryIdentity {
  appId?: unknown;
  toChannelFromBotOAuthScope?: unknown;
  loginEndpoint?: unknown;
  validateAuthority?: unknown;
}

function cacheKey(inner: ConnectorFactory, serviceUrl: string, audience: string | undefined, retries: boolean): string | undefined {
  const f = inner as unknown as FactoryIdentity;
  // A factory of another shape cannot be told apart from the next one: never share its clients.
  if (!('toChannelFromBotOAuthScope' in f) || !('loginEndpoint' in f)) return undefined;
  return JSON.stringify([f.appId ?? null, audience ?? f.toChannelFromBotOAuthScope ?? null, f.loginEndpoint ?? null, f.validateAuthority ?? null, serviceUrl, retries]);
}

/**
 * A ConnectorFactory whose clients all carry the deadline (and, with `retries: false`, no retry
 * policy) and send replies, sends and updates without the operation serializer (connector-calls.ts); with a cache, clients made from the same identity are reused rather than rebuilt.
 */
export function withConnectorDeadline(inner: ConnectorFactory, timeoutMs: number, options: { retries?: boolean; cache?: ConnectorClientCache } = {}): ConnectorFactory {
  const retries = options.retries !== false;
  const build = async (serviceUrl: string, audience: string | undefined): Promise<ConnectorClient> => {
    const client = leanActivityCalls(addConnectorDeadline(await inner.create(serviceUrl, audience), timeoutMs), { timeoutMs, retries });
    return retries ? client : removeConnectorRetry(client);
  };
  return {
    create: (serviceUrl, audience) => {
      const key = options.cache && cacheKey(inner, serviceUrl, audience, retries);
      return key ? options.cache!.get(key, () => build(serviceUrl, audience)) : build(serviceUrl, audience);
    },
  };
}

/** True for a connector call that failed on the network (refused, unreachable, timed out, aborted), not with an HTTP answer. */
export function isConnectorUnreachable(error: unknown): boolean {
  const e = error as { name?: unknown; code?: unknown; statusCode?: unknown };
  if (typeof e?.statusCode === 'number') return false;
  return e?.name === 'AbortError' || e?.name === 'TimeoutError' || e?.code === 'REQUEST_SEND_ERROR' || (typeof e?.code === 'string' && /^E[A-Z]+$/.test(e.code));
}
