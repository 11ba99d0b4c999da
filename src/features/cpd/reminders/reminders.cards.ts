import type { AdaptiveCard } from '../../../shared/bot-contract.js';
import { CPD_BOOKING_CANCEL_VERB } from '../booking/booking.schemas.js';
import { cap, card, execute, facts, heading, openUrl, text } from '../follow-up/card-parts.js';
import { CPD_REMINDERS_MUTE_VERB } from '../follow-up/follow-up.schemas.js';
import type { ReminderToSend } from './reminders.service.js';
import { placeOf, sessionLine } from '../follow-up/session-text.js';

/** The 1:1 reminder: when, where or the Teams link, what to prepare, Cancel my place, Mute reminders. */
export function reminderCard(reminder: ReminderToSend, timeZone: string): AdaptiveCard {
  const { session } = reminder;
  return card(
    [
      heading(`Reminder: ${session.title}`, 'Your CPD session is coming up'),
      facts([
        ['When', sessionLine(session, timeZone)],
        ['Where', placeOf(session)],
        ['Facilitator', session.facilitator],
      ]),
      text(`**To prepare:** ${cap(session.summary, 400)} Bring anything you are working on that this touches, and a device if you want to take notes.`),
      text("Can't come? Cancel now so someone on the waitlist can have your place.", { isSubtle: true, size: 'Small' }),
    ],
    [
      ...(session.meetingUrl ? [openUrl('Join in Teams', session.meetingUrl)] : []),
      execute('Cancel my place', CPD_BOOKING_CANCEL_VERB, { bookingId: reminder.bookingId, view: 'offering' }, 'destructive'),
      execute('Mute reminders', CPD_REMINDERS_MUTE_VERB, { muted: true }),
    ],
  );
}

export function mutedCard(muted: boolean): AdaptiveCard {
  return card(
    [
      heading(muted ? 'CPD reminders muted' : 'CPD reminders on'),
      text(
        muted
          ? 'You will no longer get a reminder before your CPD sessions. Changes and cancellations are still sent.'
          : 'You will get a reminder the day before each CPD session you are booked on.',
      ),
    ],
    [execute(muted ? 'Turn reminders back on' : 'Mute reminders', CPD_REMINDERS_MUTE_VERB, { muted: !muted })],
  );
}
