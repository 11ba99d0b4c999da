import type { AdaptiveCard } from '../../../shared/bot-contract.js';
import { formatDay } from '../cpd-time.domain.js';
import { card, cap, choices, execute, heading, input, openUrl, problemLine, text, type Element } from '../follow-up/card-parts.js';
import { CPD_GOALS_ADD_VERB, CPD_GOALS_CLOSE_VERB, CPD_RECORD_ADD_EXTERNAL_VERB, CPD_RECORD_EXPORT_VERB, CPD_REMINDERS_MUTE_VERB } from '../follow-up/follow-up.schemas.js';
import { suggestionParts } from '../goals/goals.cards.js';
import type { CpdRecordView } from './record.service.js';

const ENTRIES_PER_YEAR = 8;
const YEARS_SHOWN = 3;

export interface RecordCardOptions {
  timeZone: string;
  strands: ReadonlyArray<{ id: string; name: string }>;
  problem?: string;
  typedExternal?: Record<string, string>;
  typedGoal?: Record<string, string>;
}

/** "My CPD": hours by academic year, each entry with strand, reflection and impact; goals; add, export. */
export function recordCard(view: CpdRecordView, options: RecordCardOptions): AdaptiveCard {
  const { timeZone } = options;
  const body: Element[] = [
    heading('My CPD record', `${view.displayName} · ${view.totalHours} hours in all`),
    ...problemLine(options.problem),
    ...(view.notice ? [text(view.notice, { color: 'Good', weight: 'Bolder' })] : []),
  ];
  if (view.years.length === 0) body.push(text('Nothing yet: sessions the register shows you at appear here with their hours, and you can add CPD from elsewhere (an NPQ unit, a Masters module, a conference).'));
  for (const year of view.years.slice(0, YEARS_SHOWN)) {
    body.push(text(`**${year.year}** · ${year.hours} hours · ${year.entries.length} ${year.entries.length === 1 ? 'activity' : 'activities'}`, { separator: true, size: 'Medium' }));
    for (const e of year.entries.slice(0, ENTRIES_PER_YEAR)) {
      const lines = [`**${e.title}** · ${formatDay(e.date, timeZone)} · ${e.hours} h${e.strandName ? ` · ${e.strandName}` : ''}${e.source === 'external' ? ` · ${e.provider || 'external'}` : ''}`];
      if (e.reflection) lines.push(`Do differently: ${cap(e.reflection, 160)}`);
      if (e.impact) lines.push(`Impact: ${cap(e.impact, 160)}`);
      body.push(text(lines.join('\n'), { size: 'Small', spacing: 'Small' }));
    }
    if (year.entries.length > ENTRIES_PER_YEAR) body.push(text(`…and ${year.entries.length - ENTRIES_PER_YEAR} more in the CSV download.`, { isSubtle: true, size: 'Small' }));
  }
  const labels = view.goalLabels;
  body.push(text(`**${labels.title}**`, { separator: true }));
  if (view.goals.length === 0) body.push(text(`None yet. Add the ones agreed in ${labels.agreedIn}, and matching new CPD is suggested to you once.`, { isSubtle: true, size: 'Small' }));
  const strandName = (id: string): string => options.strands.find((s) => s.id === id)?.name ?? id;
  for (const goal of view.goals) {
    body.push({
      type: 'ColumnSet',
      columns: [
        { type: 'Column', width: 'stretch', items: [text(`${cap(goal.text, 200)} · ${strandName(goal.strandId)}`, { size: 'Small' })] },
        { type: 'Column', width: 'auto', items: [{ type: 'ActionSet', actions: [execute('Remove', CPD_GOALS_CLOSE_VERB, { goalId: goal.id })] }] },
      ],
    });
  }
  if (view.suggested && view.suggested.length > 0) {
    const parts = suggestionParts(view.suggested, timeZone);
    body.push(...parts.body, { type: 'ActionSet', actions: parts.actions });
  }
  const strandChoices: Array<[string, string]> = options.strands.map((s) => [s.id, s.name]);
  const ext = options.typedExternal ?? {};
  const goal = options.typedGoal ?? {};
  const actions: Element[] = [
    execute('Download CSV', CPD_RECORD_EXPORT_VERB, {}),
    {
      type: 'Action.ShowCard',
      title: 'Add external CPD',
      card: card(
        [
          input('title', 'What was it? (required)', ext['title'] ?? '', { placeholder: 'NPQSL unit 2, a Masters module, a conference' }),
          input('provider', 'Provider', ext['provider'] ?? ''),
          input('hours', 'Hours (required)', ext['hours'] ?? '', { placeholder: '1.5' }),
          input('completedOn', 'Date completed (YYYY-MM-DD, required)', ext['completedOn'] ?? ''),
          choices('strandId', 'Strand', strandChoices, ext['strandId'] ?? '', { placeholder: 'None' }),
          input('evidenceUrl', 'Evidence link (https://…)', ext['evidenceUrl'] ?? ''),
          input('reflection', 'Reflection', ext['reflection'] ?? '', { isMultiline: true }),
        ],
        [execute('Add to my record', CPD_RECORD_ADD_EXTERNAL_VERB, {}, 'positive')],
      ),
    },
    {
      type: 'Action.ShowCard',
      title: 'Add a goal',
      card: card(
        [input('text', `Goal (as agreed in ${labels.agreedIn})`, goal['text'] ?? '', { maxLength: 300 }), choices('strandId', 'Strand', strandChoices, goal['strandId'] ?? '', { placeholder: 'Choose a strand' })],
        [execute('Add goal', CPD_GOALS_ADD_VERB, {}, 'positive')],
      ),
    },
    execute(view.remindersMuted ? 'Turn reminders on' : 'Mute reminders', CPD_REMINDERS_MUTE_VERB, { muted: !view.remindersMuted }),
  ];
  return card(body, actions);
}

export function exportCard(url: string | undefined, minutes: number): AdaptiveCard {
  if (!url) {
    return card([
      heading('CSV download is not set up here'),
      text('This deployment has no public address configured (PUBLIC_BASE_URL), so Development Hub cannot give you a download link. Ask your IT team, or the Development Team for a copy of your record.'),
    ]);
  }
  return card(
    [heading('Your CPD record as a spreadsheet'), text(`The link works once, for ${minutes} minutes, and only gives your own record. It opens in your browser as a CSV file.`)],
    [openUrl('Download my CPD record (CSV)', url), { type: 'Action.Submit', title: 'Back to my CPD', data: { prompt: 'my cpd' } }],
  );
}
