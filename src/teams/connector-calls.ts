import { RestError, createHttpHeaders, createPipelineRequest, type PipelineRequest, type PipelineResponse } from '@azure/core-rest-pipeline';
import type { Activity, ResourceResponse } from 'botbuilder';
import type { ConnectorClient } from 'botframework-connector';

/**
 * The three connector calls every turn and every proactive send makes (reply, send, update), sent
 * as JSON through the client's own request pipeline, without the client's operation serializer.
 *
 * botbuilder's generated operations walk each activity through its model mappers on the way out and
 * the response on the way back. For a card that was the largest single cost of a send: in the
 * announcements bench the serializer was 12 % of the app's CPU, and an echo turn spent about 0.5 ms
 * in it. The activity is already plain JSON (botbuilder built it), so `JSON.stringify` sends the
 * same fields; Dates become ISO strings either way.
 *
 * The pipeline is the client's: its credentials sign each request, its retry policy (interactive
 * clients only) and the connector deadline apply as before. A status outside 2xx becomes a RestError
 * with `statusCode`, the response (Retry-After in its headers) and the connector's error code, as
 * the generated operation raised it; only the message differs: the connector's own message, never
 * the whole body.
 */
interface CoreServiceClient {
  sendRequest(request: PipelineRequest): Promise<PipelineResponse & { parsedBody?: unknown }>;
}

interface ConnectorErrorBody {
  error?: { code?: unknown; message?: unknown };
}

const LEAN_CALLS_MARK = Symbol.for('development-hub.lean-connector-calls');

export function leanActivityCalls(client: ConnectorClient): ConnectorClient {
  const shaped = client as unknown as { client?: Partial<CoreServiceClient>; baseUri?: unknown; [LEAN_CALLS_MARK]?: true };
  if (shaped[LEAN_CALLS_MARK]) return client;
  const inner = shaped.client;
  if (typeof inner?.sendRequest !== 'function' || typeof shaped.baseUri !== 'string') {
    throw new Error('connector client has no request pipeline or base URI: botbuilder changed shape, its activity calls cannot be sent lean');
  }
  const pipeline = inner as CoreServiceClient;
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
    const response = await pipeline.sendRequest(request);
    const body = response.parsedBody ?? parseJson(response.bodyAsText ?? undefined);
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
