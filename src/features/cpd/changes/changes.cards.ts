import type { AdaptiveCard } from '../../../shared/bot-contract.js';
import { formatLocalDateTime, formatTime } from '../cpd-time.domain.js';
import { card, execute, facts, heading, input, openUrl, problemLine, text, type Element } from '../follow-up/card-parts.js';
import { CPD_CHANGES_CANCEL_VERB, CPD_CHANGES_FORM_VERB, CPD_CHANGES_MOVE_VERB } from '../follow-up/follow-up.schemas.js';
import type { SessionContext } from '../follow-up/session-context.js';
import { placeOf, sessionLine } from '../follow-up/session-text.js';
import type { MoveInput } from './changes.domain.js';
import type { ChangeOutcome } from './changes.service.js';

/** The Development Team's form: move the session, change venue or link, raise capacity, or cancel the course. */
export function changeFormCard(session: SessionContext, timeZone: string, problem?: string, typed?: MoveInput): AdaptiveCard {
  const current = formatLocalDateTime(session.startsAt, timeZone);
  return card(
    [
      heading(`Change: ${session.title}`, sessionLine(session, timeZone)),
      ...problemLine(problem),
      text('Leave a field as it is to keep it. Everyone booked or waitlisted is told what changed.', { isSubtle: true }),
      input('date', 'Date (YYYY-MM-DD)', typed?.date ?? current.slice(0, 10)),
      input('starts', 'Starts (HH:MM)', typed?.starts ?? formatTime(session.startsAt, timeZone)),
      input('ends', 'Ends (HH:MM)', typed?.ends ?? formatTime(session.endsAt, timeZone)),
      input('venue', 'Venue (empty for online)', typed?.venue ?? session.venue ?? ''),
      input('meetingUrl', 'Teams link', typed?.meetingUrl ?? session.meetingUrl ?? ''),
      input('capacity', 'Capacity (places)', typed?.capacity ?? String(session.capacity)),
    ],
    [
      execute('Save changes', CPD_CHANGES_MOVE_VERB, { sessionId: session.sessionId }, 'positive'),
      execute('Cancel the course', CPD_CHANGES_CANCEL_VERB, { sessionId: session.sessionId, confirm: 'yes' }, 'destructive'),
    ],
  );
}

export function changeDoneCard(outcome: ChangeOutcome, timeZone: string): AdaptiveCard {
  const { session } = outcome;
  const told = outcome.notified === 0 ? 'Nobody was booked or waitlisted, so nobody needed telling.' : `${outcome.notified} booked or waitlisted ${outcome.notified === 1 ? 'person is' : 'people are'} being told.`;
  return card(
    [
      heading(outcome.change === 'cancelled' ? `Cancelled: ${session.title}` : `Changed: ${session.title}`, sessionLine(session, timeZone), outcome.change === 'cancelled' ? 'attention' : 'good'),
      ...outcome.lines.map((l) => text(l)),
      text(told),
      ...(outcome.promoted > 0 ? [text(`${outcome.promoted} ${outcome.promoted === 1 ? 'person' : 'people'} moved off the waitlist into the new places.`)] : []),
    ],
    outcome.change === 'moved' ? [execute('Change again', CPD_CHANGES_FORM_VERB, { sessionId: session.sessionId })] : [],
  );
}

/** "cancel session phonics": the matching upcoming sessions, each with Change and Cancel. */
export function changePickerCard(sessions: readonly SessionContext[], timeZone: string, asked: string): AdaptiveCard {
  if (sessions.length === 0) return card([heading('No session found'), text(`No upcoming CPD session matches "${asked}".`)]);
  const body: Element[] = [heading('Which session?', 'Cancelling cancels the whole course and tells everyone booked')];
  const actions: Element[] = [];
  sessions.forEach((s, i) => {
    body.push(text(`${i + 1}. **${s.title}** · ${sessionLine(s, timeZone)}`));
    actions.push(execute(`Change ${i + 1}`, CPD_CHANGES_FORM_VERB, { sessionId: s.sessionId }));
  });
  if (sessions.length === 1) actions.push(execute('Cancel the course', CPD_CHANGES_CANCEL_VERB, { sessionId: sessions[0].sessionId, confirm: 'yes' }, 'destructive'));
  return card(body, actions);
}

/** The 1:1 notice to someone booked or waitlisted: what changed, and the session as it is now. */
export function changeNoticeCard(change: 'moved' | 'cancelled', lines: readonly string[], session: SessionContext | undefined, timeZone: string, bookingStatus: string): AdaptiveCard {
  if (change === 'cancelled' || !session) {
    return card(
      [heading('A CPD course you booked is cancelled', undefined, 'attention'), ...lines.map((l) => text(l)), text('Your place is released; any calendar entries Development Hub added are being removed.')],
      [{ type: 'Action.Submit', title: 'Find other CPD', data: { prompt: 'What CPD is on next month?' } }],
    );
  }
  return card(
    [
      heading(`Changed: ${session.title}`, bookingStatus === 'waitlisted' ? 'You are on the waitlist' : 'You are booked', 'warning'),
      ...lines.map((l) => text(l)),
      facts([
        ['When', sessionLine(session, timeZone)],
        ['Where', placeOf(session)],
      ]),
    ],
    [...(session.meetingUrl ? [openUrl('Join in Teams', session.meetingUrl)] : []), { type: 'Action.Submit', title: 'My bookings', data: { prompt: 'my bookings' } }],
  );
}
