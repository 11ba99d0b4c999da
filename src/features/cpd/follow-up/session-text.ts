import { formatSpan } from '../cpd-time.domain.js';
import type { SessionContext } from './session-context.js';

/** "Session 2 of 6 · Tue 12 Jan 2027, 15:45–17:15". */
export function sessionLine(session: SessionContext, timeZone: string): string {
  const when = formatSpan(session.startsAt, session.endsAt, timeZone);
  return session.sessionCount > 1 ? `Session ${session.sequence} of ${session.sessionCount} · ${when}` : when;
}

export function placeOf(session: Pick<SessionContext, 'mode' | 'venue' | 'meetingUrl'>): string {
  if (session.mode === 'online') return session.meetingUrl ? 'Online (Teams): use the Join button' : 'Online (Teams): the link will follow';
  return session.venue ?? 'Venue to be confirmed';
}
