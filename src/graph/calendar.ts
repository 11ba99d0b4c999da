import { GraphError } from '@microsoft/microsoft-graph-client';
import { z } from 'zod/v4';
import { retryAfterSeconds, type GraphConnection } from './graph-client.js';
import { graphRequest, GraphRequestError } from './graph-request.js';

/**
 * Outlook calendar events through Microsoft Graph, app-only (Calendars.ReadWrite application
 * permission): POST /users/{id}/events and DELETE /users/{id}/events/{eventId}.
 */

/** Graph's dateTimeTimeZone: a wall-clock time and the zone it is in. */
export interface GraphDateTimeTimeZone {
  dateTime: string;
  timeZone: string;
}

/** The event fields the app sets (a subset of Graph's `event` resource). */
export interface NewCalendarEvent {
  subject: string;
  body: { contentType: 'text' | 'html'; content: string };
  start: GraphDateTimeTimeZone;
  end: GraphDateTimeTimeZone;
  location?: { displayName: string; locationUri?: string };
  /**
   * Graph's client-supplied key "to avoid redundant POST operations in case of client retries to
   * create the same event": a create that timed out and is sent again does not make a second event.
   */
  transactionId: string;
  showAs?: 'free' | 'tentative' | 'busy' | 'oof' | 'workingElsewhere' | 'unknown';
  isReminderOn?: boolean;
  reminderMinutesBeforeStart?: number;
  categories?: string[];
}

const createdEventSchema = z.object({ id: z.string().min(1) });

const eventsPath = (userId: string): string => `/users/${encodeURIComponent(userId)}/events`;

/** Creates an event in the user's default calendar and returns its id. */
export async function createCalendarEvent(graph: GraphConnection, userId: string, event: NewCalendarEvent): Promise<{ id: string }> {
  const body: unknown = await graphRequest('create calendar event', () => graph.client.api(eventsPath(userId)).post(event) as Promise<unknown>);
  const parsed = createdEventSchema.safeParse(body);
  if (!parsed.success) throw new GraphRequestError('Microsoft Graph create calendar event returned no event id', null, null);
  return { id: parsed.data.id };
}

/** Deletes an event; an event that is already gone (404) counts as deleted. */
export async function deleteCalendarEvent(graph: GraphConnection, userId: string, eventId: string): Promise<void> {
  try {
    await graphRequest('delete calendar event', () =>
      graph.client.api(`${eventsPath(userId)}/${encodeURIComponent(eventId)}`).delete() as Promise<unknown>,
    );
  } catch (error) {
    if (error instanceof GraphRequestError && error.isNotFound) return;
    throw error;
  }
}

/**
 * The Retry-After Graph sent with a failed call, in milliseconds, when it sent one. The Graph client
 * has already retried short waits itself; what is left for a caller is a long wait or an outage.
 */
export function graphRetryAfterMs(error: unknown): number | null {
  const cause = error instanceof GraphRequestError ? error.cause : error;
  if (!(cause instanceof GraphError) || !cause.headers) return null;
  const seconds = retryAfterSeconds(cause.headers.get('Retry-After'));
  return seconds === null ? null : Math.round(seconds * 1000);
}
