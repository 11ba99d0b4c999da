import { randomUUID } from 'node:crypto';
import type { GraphRoute, Json, StandInResponse, StandInState } from './wire.js';
import { graphError } from './wire.js';

/**
 * Outlook calendars behind Graph's event routes (v1.0 `event` resource, the fields apps set):
 *   'events.create'  POST   /v1.0/users/{id}/events            201 + event; a repeat POST with the same
 *                                                               transactionId returns the event already made
 *   'events.list'    GET    /v1.0/users/{id}/events            { value: [...] }
 *   'events.get'     GET    /v1.0/users/{id}/events/{eventId}
 *   'events.delete'  DELETE /v1.0/users/{id}/events/{eventId}  204; 404 ErrorItemNotFound when gone
 * A user the directory does not hold answers 404 ErrorInvalidUser, as Exchange does for a user
 * without a mailbox. Bodies are checked the way Graph does for the fields it requires
 * (subject, start/end as dateTimeTimeZone, a time zone Graph knows): 400 otherwise.
 */

export interface StandInEvent {
  id: string;
  userId: string;
  subject: string;
  body: { contentType: string; content: string };
  start: { dateTime: string; timeZone: string };
  end: { dateTime: string; timeZone: string };
  location: Json;
  transactionId: string | null;
  showAs: string;
  isReminderOn: boolean;
  reminderMinutesBeforeStart: number;
  createdDateTime: string;
  /** The full body the app sent, for assertions. */
  request: Json;
}

/** The calendars the stand-in holds, by user id (lower-cased). */
export class StandInCalendars {
  private readonly events = new Map<string, StandInEvent[]>();

  eventsOf(userId: string): StandInEvent[] {
    return [...(this.events.get(userId.toLowerCase()) ?? [])];
  }

  all(): StandInEvent[] {
    return [...this.events.values()].flat();
  }

  add(event: StandInEvent): void {
    const key = event.userId.toLowerCase();
    this.events.set(key, [...(this.events.get(key) ?? []), event]);
  }

  remove(userId: string, eventId: string): boolean {
    const key = userId.toLowerCase();
    const list = this.events.get(key) ?? [];
    const kept = list.filter((e) => e.id !== eventId);
    this.events.set(key, kept);
    return kept.length !== list.length;
  }

  clear(): void {
    this.events.clear();
  }
}

// Windows names and the IANA names Graph accepts for the zones the tests use.
const KNOWN_TIME_ZONES = new Set(['UTC', 'Etc/GMT', 'GMT Standard Time', 'Europe/London', 'Pacific Standard Time']);
const GRAPH_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?$/;

export function calendarRoutes(graph: StandInState, calendars: StandInCalendars): GraphRoute[] {
  const invalidUser = (id: string): StandInResponse => ({
    status: 404,
    body: graphError('ErrorInvalidUser', `The requested user '${id}' is invalid.`),
  });
  const itemNotFound = (): StandInResponse => ({
    status: 404,
    body: graphError('ErrorItemNotFound', 'The specified object was not found in the store.'),
  });
  const wire = (event: StandInEvent): Json => ({
    '@odata.context': `https://graph.microsoft.com/v1.0/$metadata#users('${event.userId}')/events/$entity`,
    '@odata.etag': `W/"${Buffer.from(event.id).toString('base64').slice(0, 24)}"`,
    id: event.id,
    createdDateTime: event.createdDateTime,
    lastModifiedDateTime: event.createdDateTime,
    categories: [],
    ...(event.transactionId ? { transactionId: event.transactionId } : {}),
    originalStartTimeZone: event.start.timeZone,
    originalEndTimeZone: event.end.timeZone,
    iCalUId: `040000008200E00074C5B7101A82E008${event.id.slice(-16)}`,
    reminderMinutesBeforeStart: event.reminderMinutesBeforeStart,
    isReminderOn: event.isReminderOn,
    subject: event.subject,
    bodyPreview: event.body.content.slice(0, 255),
    importance: 'normal',
    sensitivity: 'normal',
    isAllDay: false,
    isCancelled: false,
    isOrganizer: true,
    showAs: event.showAs,
    type: 'singleInstance',
    webLink: `https://outlook.office365.com/owa/?itemid=${encodeURIComponent(event.id)}&exvsurl=1&path=/calendar/item`,
    isOnlineMeeting: false,
    onlineMeetingUrl: null,
    body: event.body,
    start: { dateTime: `${event.start.dateTime.slice(0, 19)}.0000000`, timeZone: event.start.timeZone },
    end: { dateTime: `${event.end.dateTime.slice(0, 19)}.0000000`, timeZone: event.end.timeZone },
    location: { locationType: 'default', uniqueIdType: 'private', ...(event.location ?? { displayName: '' }) },
    attendees: [],
    organizer: { emailAddress: { name: graph.user(event.userId)?.displayName ?? '', address: graph.user(event.userId)?.mail ?? '' } },
  });

  return [
    {
      name: 'events.create',
      method: 'POST',
      path: '/v1.0/users/{id}/events',
      handle: (req) => {
        const userId = req.params.id;
        if (!graph.user(userId)) return invalidUser(userId);
        const body: Json = req.body;
        const problem = checkEventBody(body);
        if (problem) return { status: 400, body: graphError(problem.code, problem.message) };
        const transactionId = typeof body.transactionId === 'string' ? body.transactionId : null;
        const repeat = transactionId ? calendars.eventsOf(userId).find((e) => e.transactionId === transactionId) : undefined;
        if (repeat) return { status: 201, body: wire(repeat) };
        const event: StandInEvent = {
          id: `AAMkAGI2TG93AAA=${randomUUID().replaceAll('-', '')}`,
          userId,
          subject: body.subject,
          body: body.body ?? { contentType: 'text', content: '' },
          start: body.start,
          end: body.end,
          location: body.location ?? null,
          transactionId,
          showAs: body.showAs ?? 'busy',
          isReminderOn: body.isReminderOn ?? true,
          reminderMinutesBeforeStart: body.reminderMinutesBeforeStart ?? 15,
          createdDateTime: new Date().toISOString(),
          request: body,
        };
        calendars.add(event);
        return { status: 201, body: wire(event) };
      },
    },
    {
      name: 'events.list',
      method: 'GET',
      path: '/v1.0/users/{id}/events',
      handle: (req) => {
        if (!graph.user(req.params.id)) return invalidUser(req.params.id);
        return {
          status: 200,
          body: {
            '@odata.context': `https://graph.microsoft.com/v1.0/$metadata#users('${req.params.id}')/events`,
            value: calendars.eventsOf(req.params.id).map(wire),
          },
        };
      },
    },
    {
      name: 'events.get',
      method: 'GET',
      path: '/v1.0/users/{id}/events/{eventId}',
      handle: (req) => {
        if (!graph.user(req.params.id)) return invalidUser(req.params.id);
        const event = calendars.eventsOf(req.params.id).find((e) => e.id === req.params.eventId);
        return event ? { status: 200, body: wire(event) } : itemNotFound();
      },
    },
    {
      name: 'events.delete',
      method: 'DELETE',
      path: '/v1.0/users/{id}/events/{eventId}',
      handle: (req) => {
        if (!graph.user(req.params.id)) return invalidUser(req.params.id);
        return calendars.remove(req.params.id, req.params.eventId) ? { status: 204 } : itemNotFound();
      },
    },
  ];
}

function checkEventBody(body: Json): { code: string; message: string } | undefined {
  if (!body || typeof body !== 'object') return { code: 'BadRequest', message: 'Empty Payload. JSON content expected.' };
  if (typeof body.subject !== 'string') return { code: 'ErrorInvalidRequest', message: 'The event needs a subject.' };
  for (const field of ['start', 'end'] as const) {
    const value = body[field];
    if (!value || typeof value.dateTime !== 'string' || !GRAPH_DATE_TIME.test(value.dateTime)) {
      return { code: 'ErrorInvalidRequest', message: `Cannot convert the literal '${String(value?.dateTime)}' to the expected type 'Edm.DateTimeOffset'.` };
    }
    if (typeof value.timeZone !== 'string' || !KNOWN_TIME_ZONES.has(value.timeZone)) {
      return { code: 'TimeZoneNotSupportedException', message: `A valid TimeZone value must be specified. The following TimeZone value is not supported: '${String(value.timeZone)}'.` };
    }
  }
  if (body.start.timeZone === body.end.timeZone && body.end.dateTime <= body.start.dateTime) {
    return { code: 'ErrorInvalidRequest', message: 'The end time must be after the start time.' };
  }
  return undefined;
}
