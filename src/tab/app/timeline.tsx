import { Caption1, tokens } from '@fluentui/react-components';
import type { Detail, Options } from './types.js';

const day = (iso: string) => new Date(iso).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric' });

/**
 * The commission's timeline: raised, agreed, reviews and measures' review dates along the agreed
 * dates. Drawn with positioned marks on a line; the same events are the ordered list a screen reader reads.
 */
export function Timeline({ detail, options }: { detail: Detail; options: Options }) {
  const c = detail.commission;
  const events = [
    ...detail.updates.map((u) => ({ at: u.at.slice(0, 10), label: `${labelFor(u.kind, u.statusAfter, options)} by ${u.byName}`, kind: 'update' as const })),
    ...c.measures.map((m) => ({ at: m.reviewDate, label: `Review date: ${m.description}`, kind: 'measure' as const })),
    ...(c.endDate ? [{ at: c.endDate, label: 'Agreed end date', kind: 'end' as const }] : []),
  ].sort((a, b) => a.at.localeCompare(b.at));
  const first = Date.parse(events[0]?.at ?? c.createdAt);
  const last = Math.max(Date.parse(events[events.length - 1]?.at ?? c.createdAt), first + 86_400_000);
  const position = (at: string) => `${(((Date.parse(at) - first) / (last - first)) * 96 + 2).toFixed(1)}%`;
  return (
    <section aria-labelledby="timeline-heading">
      <h3 id="timeline-heading">Timeline</h3>
      <div aria-hidden="true" style={{ position: 'relative', height: 36, margin: '8px 0 4px' }}>
        <div style={{ position: 'absolute', top: 17, left: '2%', right: '2%', height: 2, background: tokens.colorNeutralStroke1 }} />
        {events.map((e, i) => (
          <span
            key={i}
            title={`${day(e.at)}: ${e.label}`}
            style={{
              position: 'absolute',
              left: position(e.at),
              top: e.kind === 'update' ? 10 : 12,
              width: e.kind === 'update' ? 16 : 12,
              height: e.kind === 'update' ? 16 : 12,
              marginLeft: -8,
              borderRadius: e.kind === 'measure' ? 2 : '50%',
              background: e.kind === 'update' ? tokens.colorBrandBackground : e.kind === 'measure' ? tokens.colorPaletteMarigoldBorderActive : tokens.colorNeutralForeground3,
              border: `2px solid ${tokens.colorNeutralBackground1}`,
            }}
          />
        ))}
      </div>
      <ol style={{ margin: 0, paddingLeft: 20 }}>
        {events.map((e, i) => (
          <li key={i}>
            <Caption1>
              <time dateTime={e.at}>{day(e.at)}</time>: {e.label}
            </Caption1>
          </li>
        ))}
      </ol>
    </section>
  );
}

function labelFor(kind: string, status: string, options: Options): string {
  switch (kind) {
    case 'raised':
      return 'Raised';
    case 'note':
      return 'Update';
    case 'review':
      return 'Review recorded';
    default:
      return options.statuses.find((s) => s.id === status)?.label ?? kind;
  }
}
