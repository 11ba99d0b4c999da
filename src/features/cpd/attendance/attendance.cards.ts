import type { AdaptiveCard } from '../../../shared/bot-contract.js';
import { formatLocalDateTime } from '../cpd-time.domain.js';
import { card, choices, execute, facts, heading, text, type Element } from '../follow-up/card-parts.js';
import { CPD_CHANGES_FORM_VERB, CPD_REGISTER_OPEN_VERB, CPD_REGISTER_SAVE_VERB } from '../follow-up/follow-up.schemas.js';
import type { SessionContext } from '../follow-up/session-context.js';
import { placeOf, sessionLine } from '../follow-up/session-text.js';
import type { AttendanceStatus } from './attendance.domain.js';
import type { RegisterView } from './attendance.service.js';

const MARKS: Array<[AttendanceStatus, string]> = [
  ['present', 'Present'],
  ['absent', 'Absent'],
  ['late_cancelled', 'Late cancellation'],
];

/** The register for one session: everyone booked, a present / absent / late-cancelled choice each, Save. */
export function registerCard(view: RegisterView, timeZone: string, markers: ReadonlyMap<string, string>): AdaptiveCard {
  const { session, entries } = view;
  const present = entries.filter((e) => e.mark === 'present').length;
  const body: Element[] = [
    heading(`Register: ${session.title}`, sessionLine(session, timeZone)),
    facts([
      ['Where', placeOf(session)],
      ['Booked', String(entries.filter((e) => e.bookingStatus === 'confirmed').length)],
      ['Marked present', String(present)],
    ]),
  ];
  if (view.saved) body.push(text(view.saved.changed === 0 ? 'Saved: nothing had changed.' : `Saved ${view.saved.changed} change${view.saved.changed === 1 ? '' : 's'}. Attended sessions are now in each person's CPD record.`, { color: 'Good', weight: 'Bolder' }));
  if (entries.length === 0) body.push(text('Nobody is booked on this session.'));
  for (const entry of entries) {
    const by = entry.markedByAadId ? markers.get(entry.markedByAadId) ?? 'someone' : undefined;
    body.push({
      type: 'Container',
      separator: true,
      items: [
        choices(`mark.${entry.bookingId}`, entry.bookingStatus === 'cancelled' ? `${entry.personName} (cancelled late)` : entry.personName, MARKS, entry.mark ?? '', {
          placeholder: 'Not marked yet',
        }),
        ...(by && entry.markedAt ? [text(`Marked by ${by}, ${formatLocalDateTime(entry.markedAt, timeZone)}`, { isSubtle: true, size: 'Small', spacing: 'None' })] : []),
      ],
    });
  }
  const actions: Element[] = [];
  if (entries.length > 0) actions.push(execute('Save register', CPD_REGISTER_SAVE_VERB, { sessionId: session.sessionId }, 'positive'));
  if (view.canChange) actions.push(execute('Change or cancel this session', CPD_CHANGES_FORM_VERB, { sessionId: session.sessionId }));
  return card(body, actions);
}

/** "register for phonics" matched several sessions: one button each, nearest first. */
export function registerPickerCard(sessions: readonly SessionContext[], timeZone: string, asked: string): AdaptiveCard {
  if (sessions.length === 0) {
    return card([heading('No register found'), text(`No CPD session you run matches "${asked}". Try part of the course title, for example "register for phonics".`)]);
  }
  return card(
    [heading('Which register?', 'Nearest to today first'), ...sessions.map((s) => text(`**${s.title}** · ${sessionLine(s, timeZone)}`))],
    sessions.map((s, i) => execute(`Open register ${i + 1}`, CPD_REGISTER_OPEN_VERB, { sessionId: s.sessionId })),
  );
}
