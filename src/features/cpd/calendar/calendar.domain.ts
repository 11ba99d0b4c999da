import { createHash } from 'node:crypto';
import { describeSessionPlace, type CpdSession, type OfferingDetails } from '../catalogue/catalogue.domain.js';
import { formatSpan } from '../cpd-time.domain.js';

/**
 * What goes into someone's Outlook calendar for a booked CPD session. Pure: the calendar job
 * sends it through Microsoft Graph. Shaped as Graph's `event` resource (the fields the app sets).
 */
export interface CalendarEventDraft {
  subject: string;
  body: { contentType: 'text'; content: string };
  start: { dateTime: string; timeZone: 'UTC' };
  end: { dateTime: string; timeZone: 'UTC' };
  location: { displayName: string; locationUri?: string };
  transactionId: string;
  showAs: 'busy';
  isReminderOn: true;
  reminderMinutesBeforeStart: number;
}

const REMINDER_MINUTES = 30;

/**
 * The same booking and session always give the same transactionId, so if a create succeeded at
 * Graph but the job died before recording the event id, the retried POST is recognised by Graph
 * rather than making a second event. (Graph documents the key but not how long it remembers it,
 * so the stored event ids stay the primary guard.)
 */
export function calendarTransactionId(bookingId: string, sessionId: string): string {
  return `devhub-${createHash('sha256').update(`${bookingId}\u0000${sessionId}`).digest('hex').slice(0, 40)}`;
}

/** Graph reads a dateTime without an offset in the given zone; instants are sent in UTC. */
function utcDateTime(instant: Date): string {
  return instant.toISOString().slice(0, 19);
}

export function calendarEventFor(
  details: OfferingDetails,
  session: CpdSession,
  bookingId: string,
  timeZone: string,
): CalendarEventDraft {
  const { course, sessions } = details;
  const count = sessions.length;
  const subject = count > 1 ? `${course.title} (session ${session.sequence} of ${count})` : course.title;
  const place = describeSessionPlace(session);
  const lines = [
    course.summary,
    '',
    `When: ${formatSpan(session.startsAt, session.endsAt, timeZone)} (${timeZone})`,
    session.mode === 'online' && session.meetingUrl ? `Join online (Microsoft Teams): ${session.meetingUrl}` : `Where: ${place}`,
    `Led by ${course.facilitator}`,
    ...(count > 1 ? [`One booking covers all ${count} sessions of this programme.`] : []),
    '',
    'Booked through Development Hub. To cancel, type "my bookings" in your chat with Development Hub in Teams.',
  ];
  return {
    subject,
    body: { contentType: 'text', content: lines.join('\n') },
    start: { dateTime: utcDateTime(session.startsAt), timeZone: 'UTC' },
    end: { dateTime: utcDateTime(session.endsAt), timeZone: 'UTC' },
    location:
      session.mode === 'online' && session.meetingUrl
        ? { displayName: 'Microsoft Teams meeting', locationUri: session.meetingUrl }
        : { displayName: place },
    transactionId: calendarTransactionId(bookingId, session.id),
    showAs: 'busy',
    isReminderOn: true,
    reminderMinutesBeforeStart: REMINDER_MINUTES,
  };
}
