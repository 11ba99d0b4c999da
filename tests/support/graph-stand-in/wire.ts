import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** Wire types shared by the Graph stand-in and its route tables. */

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- wire JSON, read by assertions
export type Json = any;

export interface StandInRequest {
  method: string;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  /** JSON bodies parsed, form bodies as URLSearchParams, anything else as text. */
  body: Json;
}

export interface StandInResponse {
  status: number;
  body?: Json;
  headers?: Record<string, string>;
}

export interface GraphRoute {
  name: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** e.g. '/v1.0/users/{id}/events/{eventId}'. */
  path: string;
  listener?: 'graph' | 'authority';
  /** Graph routes need a bearer token issued by the stand-in; token routes do not. */
  auth?: 'bearer' | 'none';
  handle(req: StandInRequest): StandInResponse | Promise<StandInResponse>;
}

export interface RecordedRequest {
  listener: 'graph' | 'authority';
  route: string | null;
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingMessage['headers'];
  authorization: string | undefined;
  body: Json;
  status: number;
  /** performance.now() once the request body was read, and when the answer was handed to the socket:
   * the stand-in's own time (the bench subtracts it to get the app's added latency). */
  startedAt: number;
  endedAt: number;
}

export interface InjectedFailure {
  status?: number;
  /** Retry-After header value; default '0' for 429/503/504; null sends none. */
  retryAfter?: string | null;
  body?: Json;
  /** Drop the connection without answering. */
  disconnect?: boolean;
}

export interface StandInUser {
  id: string;
  displayName: string | null;
  mail?: string | null;
  userPrincipalName?: string;
}


/** The body Graph sends with an error status. */export function graphError(code: string, message: string): Json {
  return { error: { code, message, innerError: { date: new Date().toISOString(), 'request-id': randomUUID(), 'client-request-id': randomUUID() } } };
}

/** What the routes need from the stand-in's directory and token state. */
export interface StandInState {
  readonly graphBaseUrl: string;
  readonly authorityHost: string;
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly identityHeader: string;
  readonly maxPageSize: number;
  user(id: string): StandInUser | undefined;
  transitiveMemberOf(memberId: string): Array<{ id: string; type: 'group' | 'directoryRole'; displayName: string }>;
  /** Users and groups inside a group, through nesting; undefined when there is no such group. */
  transitiveMembers(groupId: string): Array<{ id: string; type: 'user' | 'group'; displayName: string | null; mail?: string | null }> | undefined;
  /** A new opaque access token: app-only, or for a user (on-behalf-of). */
  issueToken(userId?: string): string;
  /** The user a Teams SSO token (an on-behalf-of assertion) stands for. */
  userOfAssertion(assertion: string): string | undefined;
}
