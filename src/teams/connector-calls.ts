import {
  RestError,
  createDefaultHttpClient,
  createEmptyPipeline,
  createHttpHeaders,
  createPipelineRequest,
  defaultRetryPolicy,
  proxyPolicy,
  type HttpClient,
  type Pipeline,
  type PipelinePolicy,
  type PipelineRequest,
  type PipelineResponse,
} from '@azure/core-rest-pipeline';
import type { Activity, ResourceResponse } from 'botbuilder';
import type { ConnectorClient } from 'botframework-connector';

/**
 * The three connector calls every turn and every proactive send makes (reply, send, update), sent
 * as JSON through a short request pipeline of their own, without the client's operation serializer
 * or the rest of its pipeline.
 *
 * botbuilder's generated operations walk each activity through its model mappers on the way out and
 * the response on the way back. For a card that was the largest single cost of a send: in the
 * announcements bench the serializer was 12 % of the app's CPU, and an echo turn spent about 0.5 ms
 * in it. The activity is already plain JSON (botbuilder built it), so `JSON.stringify` sends the
 * same fields; Dates become ISO strings either way.
 *
 * The client's own pipeline has sixteen policies, two of them botbuilder's adapters for the older
 * core-http interface that copy the request and its headers into another shape and back. The calls
 * here keep only what they need, in the order the client had them: the proxy settings (HTTPS_PROXY,
 * NO_PROXY), the connector deadline (one abort signal for the whole call, retries included), the
 * client's own credentials signing the request once, and @azure/core-rest-pipeline's default retry
 * policy (429/503 with Retry-After, 5xx and network failures with backoff, three retries; left out
 * with `retries: false`), sending through the library's default HTTP client as the client did.
 * Measured in the CPD bench (50 concurrent), old and new builds alternated in one checkout: an echo
 * message turn, whose only work is this reply, went from 0.95 / 0.79 to 0.73 / 0.63 ms of app CPU
 * (965 / 1,137 → 1,160 / 1,209 turns/s). One request at a time (resources bench) the gain is within
 * the run-to-run spread.
 *
 * A status outside 2xx becomes a RestError with `statusCode`, the response (Retry-After in its
 * headers) and the connector's error code, as the generated operation raised it; only the message
 * differs: the connector's own message, never the whole body.
 */
interface ConnectorErrorBody {
  error?: { code?: unknown; message?: unknown };
}

/** What the client's credentials (botframework-connector's AppCredentials and its kinds) sign a request with. */
interface SigningCredentials {
  signRequest(resource: { headers: { set(name: string, value: string): void } }): Promise<unknown>;
}

export interface LeanCallOptions {
  /** The whole call, every retry included, ends within this. */
  timeoutMs: number;
  /** False for proactive sends: the send pacer and the durable jobs decide when to try again. */
  retries: boolean;
}

const LEAN_DEADLINE_POLICY = 'developmentHubLeanConnectorDeadline';
const LEAN_SIGN_POLICY = 'developmentHubLeanConnectorSign';

const LEAN_CALLS_MARK = Symbol.for('development-hub.lean-connector-calls');

/** One HTTP client (and so one set of kept-alive sockets) for every lean call in the process. */
let sharedHttpClient: HttpClient | undefined;
const httpClient = (): HttpClient => (sharedHttpClient ??= createDefaultHttpClient());

/**
 * One deadline for a whole connector call: the abort signal it sets is shared by every attempt, so
 * placed before the retry policy it ends the call, retries and their waits included, by `timeoutMs`.
 * The lean calls' pipeline and the client's own (connector-deadline.ts) both carry it.
 */
export function connectorDeadlinePolicy(name: string, timeoutMs: number): PipelinePolicy {
  return {
    name,
    sendRequest: (request, next) => {
      const deadline = AbortSignal.timeout(timeoutMs);
      request.timeout = timeoutMs;
      request.abortSignal = request.abortSignal ? AbortSignal.any([request.abortSignal as AbortSignal, deadline]) : deadline;
      return next(request);
    },
  };
}

function leanPipeline(credentials: SigningCredentials, options: LeanCallOptions): Pipeline {
  const pipeline = createEmptyPipeline();
  pipeline.addPolicy(proxyPolicy());
  pipeline.addPolicy(connectorDeadlinePolicy(LEAN_DEADLINE_POLICY, options.timeoutMs));
  pipeline.addPolicy({
    name: LEAN_SIGN_POLICY,
    sendRequest: async (request, next) => {
      // TokenCredentials.signRequest sets one header; with no app id (local runs) it sets none.
      await credentials.signRequest({ headers: { set: (name, value) => request.headers.set(name, value) } });
      return next(request);
    },
  });
  if (options.retries) pipeline.addPolicy(defaultRetryPolicy(), { phase: 'Retry' });
  return pipeline;
}

export function leanActivityCalls(client: ConnectorClient, options: LeanCallOptions): ConnectorClient {
  const shaped = client as unknown as { credentials?: Partial<SigningCredentials>; baseUri?: unknown; [LEAN_CALLS_MARK]?: true };
  if (shaped[LEAN_CALLS_MARK]) return client;
  const credentials = shaped.credentials;
  if (typeof credentials?.signRequest !== 'function' || typeof shaped.baseUri !== 'string') {
    throw new Error('connector client has no credentials or base URI: botbuilder changed shape, its activity calls cannot be sent lean');
  }
  const pipeline = leanPipeline(credentials as SigningCredentials, options);
  const root = shaped.baseUri.replace(/\/+$/, '');
  // As the client itself allows: plain http only for an http service URL (local stand-ins and the playground).
  const allowInsecureConnection = root.toLowerCase().startsWith('http:');
  // An answer without an id (an empty body) leaves it out, as the generated operations did.
  const call = async (method: 'POST' | 'PUT', path: string, activity: Partial<Activity>): Promise<Partial<ResourceResponse>> => {
    const request = createPipelineRequest({
      url: `${root}/${path}`,
      method,
      allowInsecureConnection,
      body: JSON.stringify(activity),
      headers: createHttpHeaders({ 'content-type': 'application/json; charset=utf-8', accept: 'application/json' }),
    });
    const response = await pipeline.sendRequest(httpClient(), request);
    const body = parseJson(response.bodyAsText ?? undefined);
    if (response.status < 200 || response.status >= 300) throw connectorError(request, response, body);
    const id = (body as { id?: unknown } | undefined)?.id;
    return typeof id === 'string' ? { id } : {};
  };
  const activities = (conversationId: string) => `v3/conversations/${encodeURIComponent(conversationId)}/activities`;
  const conversations = client.conversations as unknown as Record<'replyToActivity' | 'sendToConversation' | 'updateActivity', unknown>;
  conversations.replyToActivity = (conversationId: string, activityId: string, activity: Partial<Activity>) => call('POST', `${activities(conversationId)}/${encodeURIComponent(activityId)}`, activity);
  conversations.sendToConversation = (conversationId: string, activity: Partial<Activity>) => call('POST', activities(conversationId), activity);
  conversations.updateActivity = (conversationId: string, activityId: string, activity: Partial<Activity>) => call('PUT', `${activities(conversationId)}/${encodeURIComponent(activityId)}`, activity);
  shaped[LEAN_CALLS_MARK] = true;
  return client;
}

function parseJson(text: string | undefined): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function connectorError(request: PipelineRequest, response: PipelineResponse, body: unknown): RestError {
  const detail = (body as ConnectorErrorBody | undefined)?.error;
  const message = typeof detail?.message === 'string' ? detail.message : `connector answered ${response.status}`;
  const error = new RestError(message, { statusCode: response.status, request, response, ...(typeof detail?.code === 'string' ? { code: detail.code } : {}) });
  if (body !== undefined) error.details = body;
  return error;
}
