import type { AdaptiveCard } from '../../../shared/bot-contract.js';
import { formatDay } from '../cpd-time.domain.js';
import { cap, card, choices, execute, facts, heading, input, problemLine, text, type Element } from '../follow-up/card-parts.js';
import { CPD_FEEDBACK_OPEN_VERB, CPD_FEEDBACK_SUBMIT_VERB, CPD_IMPACT_SUBMIT_VERB } from '../follow-up/follow-up.schemas.js';
import type { SessionContext } from '../follow-up/session-context.js';
import { sessionLine } from '../follow-up/session-text.js';
import { describeApplied, DO_DIFFERENTLY_MAX, IMPACT_APPLIED, responseRate, type Criterion } from './evaluation.domain.js';
import type { EvaluationSummary, FeedbackView } from './evaluation.service.js';

const SCALE: Array<[string, string]> = [
  ['1', '1 – strongly disagree'],
  ['2', '2 – disagree'],
  ['3', '3 – neither'],
  ['4', '4 – agree'],
  ['5', '5 – strongly agree'],
];

/** The feedback card: each quality-assurance statement on 1–5, and "what will you do differently?". */
export function feedbackCard(view: FeedbackView, criteria: readonly Criterion[], timeZone: string, problem?: string): AdaptiveCard {
  const { session, existing, typed } = view;
  const scoreOf = (id: string): string => {
    const t = typed?.scores[id];
    if (typeof t === 'string' || typeof t === 'number') return String(t);
    return existing?.scores[id] !== undefined ? String(existing.scores[id]) : '';
  };
  const body: Element[] = [
    heading(`Feedback: ${session.title}`, sessionLine(session, timeZone)),
    ...problemLine(problem),
  ];
  if (view.saved) {
    body.push(text(view.saved === 'created' ? 'Thank you: your feedback is saved.' : 'Thank you: your feedback is updated.', { color: 'Good', weight: 'Bolder' }));
  }
  body.push(text(`How far do you agree? You can change your answers until ${formatDay(view.closesAt, timeZone)}.`, { isSubtle: true }));
  for (const c of criteria) body.push(choices(`score.${c.id}`, c.statement, SCALE, scoreOf(c.id), { isRequired: true, errorMessage: 'Choose 1 to 5', placeholder: 'Choose 1 to 5' }));
  body.push(
    input('doDifferently', 'What will you do differently?', typed?.doDifferently ?? existing?.doDifferently ?? '', { isMultiline: true, maxLength: DO_DIFFERENTLY_MAX }),
  );
  return card(body, [execute(existing ? 'Update feedback' : 'Send feedback', CPD_FEEDBACK_SUBMIT_VERB, { sessionId: session.sessionId }, 'positive')]);
}

export function feedbackPickerCard(sessions: readonly SessionContext[], timeZone: string): AdaptiveCard {
  if (sessions.length === 0) {
    return card([heading('No feedback waiting'), text('There is no session waiting for your feedback: feedback opens after a session the register shows you at, for a week.')], [
      { type: 'Action.Submit', title: 'My CPD', data: { prompt: 'my cpd' } },
    ]);
  }
  return card(
    [heading('Feedback waiting', 'Sessions you attended'), ...sessions.map((s) => text(`**${s.title}** · ${sessionLine(s, timeZone)}`))],
    sessions.map((s, i) => execute(sessions.length === 1 ? 'Give feedback' : `Give feedback ${i + 1}`, CPD_FEEDBACK_OPEN_VERB, { sessionId: s.sessionId })),
  );
}

/** Weeks later: have you applied it, and what changed for pupils? */
export function impactCard(session: SessionContext, timeZone: string, answered?: string, problem?: string, typed?: { applied: string; pupilChange: string }): AdaptiveCard {
  const body: Element[] = [heading(`Impact check-in: ${session.title}`, sessionLine(session, timeZone)), ...problemLine(problem)];
  if (answered) return card([...body, text(`Thank you: "${answered}" is in your CPD record.`, { color: 'Good', weight: 'Bolder' })]);
  body.push(
    choices('applied', 'Have you applied it?', IMPACT_APPLIED.map((a) => [a, describeApplied(a)]), typed?.applied ?? '', { isRequired: true, errorMessage: 'Choose one' }),
    input('pupilChange', 'What changed for pupils?', typed?.pupilChange ?? '', { isMultiline: true, maxLength: 1000 }),
  );
  return card(body, [execute('Send', CPD_IMPACT_SUBMIT_VERB, { sessionId: session.sessionId }, 'positive')]);
}

/** The Development Team's summary: per course and session, response rate, mean and spread, anonymous comments, impact. */
export function summaryCard(summaries: readonly EvaluationSummary[], timeZone: string, asked: string): AdaptiveCard {
  if (summaries.length === 0) {
    return card([heading('No evaluations found'), text(asked ? `No course that has run matches "${asked}".` : 'No course has run yet.')]);
  }
  const body: Element[] = [heading('CPD evaluation summary', 'Means and spread on a 1–5 scale; comments are anonymous')];
  for (const s of summaries.slice(0, 3)) {
    body.push(text(`**${s.title}** (${s.label})`, { size: 'Medium', separator: true }), text(responseRate(s.overall.responses, s.overall.attended)));
    body.push(facts(s.overall.criteria.map((c) => [cap(c.statement, 60), c.mean === null ? '–' : `${c.mean} (±${c.spread}, n=${c.responses})`])));
    for (const session of s.sessions) {
      const comments = session.comments.slice(0, 5).map((c) => `• ${cap(c, 200)}`);
      const impact = session.impact.slice(0, 5).map((i) => `• ${describeApplied(i.applied)}${i.pupilChange ? `: ${cap(i.pupilChange, 160)}` : ''}`);
      body.push({
        type: 'Container',
        items: [
          text(`Session ${session.sequence}, ${formatDay(session.startsAt, timeZone)}: ${responseRate(session.responses, session.attended)}`, { weight: 'Bolder', size: 'Small' }),
          ...(comments.length > 0 ? [text(`Do differently:\n${comments.join('\n')}`, { size: 'Small' })] : []),
          ...(impact.length > 0 ? [text(`Impact check-ins:\n${impact.join('\n')}`, { size: 'Small' })] : []),
          ...(session.withheld.comments || session.withheld.impact
            ? [text(`Written answers are shown once at least ${s.minimumGroup} people have answered, so no one can be recognised from them.`, { size: 'Small', isSubtle: true })]
            : []),
        ],
      });
    }
  }
  return card(body);
}
