import { DonutChart, GroupedVerticalBarChart, HorizontalBarChart } from '@fluentui/react-charts';
import { Card, CardHeader, Subtitle2, Text, tokens } from '@fluentui/react-components';
import type { ReactNode } from 'react';
import type { ListAnswer, Options, Uptake } from './types.js';

const PALETTE = [tokens.colorPaletteBlueBorderActive, tokens.colorPaletteGreenBorderActive, tokens.colorPaletteMarigoldBorderActive, tokens.colorPaletteBerryBorderActive, tokens.colorPaletteTealBorderActive, tokens.colorPaletteRedBorderActive];

/** Each chart has its figures as a table too: for screen readers, and for anyone who would rather read numbers. */
function ChartCard({ title, figures, children }: { title: string; figures: Array<[string, ...Array<string | number>]>; children: ReactNode }) {
  return (
    <Card style={{ minWidth: 300, flex: '1 1 300px' }}>
      <CardHeader header={<Subtitle2 as="h3">{title}</Subtitle2>} />
      <div>{children}</div>
      <details>
        <summary>Show the figures</summary>
        <table style={{ borderCollapse: 'collapse' }}>
          <caption className="visually-hidden">{title}</caption>
          <tbody>
            {figures.map(([label, ...values]) => (
              <tr key={label}>
                <th scope="row" style={{ textAlign: 'left', paddingRight: 12, fontWeight: 400 }}>
                  {label}
                </th>
                {values.map((v, i) => (
                  <td key={i} style={{ paddingRight: 12 }}>
                    {v}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </Card>
  );
}

export function StatusChart({ counts, options }: { counts: ListAnswer['counts']; options: Options }) {
  const data = options.statuses.filter((s) => counts.byStatus[s.id]).map((s, i) => ({ legend: s.label, data: counts.byStatus[s.id] ?? 0, color: PALETTE[i % PALETTE.length] }));
  const total = data.reduce((n, d) => n + d.data, 0);
  return (
    <ChartCard title="Commissions by status" figures={options.statuses.map((s) => [s.label, counts.byStatus[s.id] ?? 0])}>
      {total === 0 ? <Text>No commissions yet.</Text> : <DonutChart data={{ chartTitle: 'Commissions by status', chartData: data }} innerRadius={48} width={300} height={220} valueInsideDonut={String(total)} />}
    </ChartCard>
  );
}

export function TypeChart({ counts, options }: { counts: ListAnswer['counts']; options: Options }) {
  const total = Object.values(counts.byType).reduce((n, v) => n + v, 0);
  const data = options.supportTypes
    .filter((t) => counts.byType[t.id])
    .map((t, i) => ({ chartTitle: t.label, chartData: [{ legend: t.label, horizontalBarChartdata: { x: counts.byType[t.id], y: total }, color: PALETTE[i % PALETTE.length] }] }));
  return (
    <ChartCard title="Commissions by type of support" figures={options.supportTypes.map((t) => [t.label, counts.byType[t.id] ?? 0])}>
      {total === 0 ? <Text>No commissions yet.</Text> : <HorizontalBarChart data={data} hideRatio={data.map(() => false)} width={320} />}
    </ChartCard>
  );
}

const monthName = (month: string) => new Date(`${month}-01T12:00:00Z`).toLocaleDateString('en-GB', { month: 'short', year: '2-digit', timeZone: 'UTC' });

export function UptakeChart({ uptake, academyName }: { uptake: Uptake; academyName: string }) {
  const data = uptake.months.map((m) => ({
    name: monthName(m.month),
    series: [
      { key: 'booked', data: m.booked, legend: 'Booked', color: tokens.colorPaletteBlueBorderActive },
      { key: 'held', data: m.held, legend: 'Attended (session held)', color: tokens.colorPaletteGreenBorderActive },
    ],
  }));
  const any = uptake.months.some((m) => m.booked > 0);
  return (
    <ChartCard title={`CPD uptake at ${academyName}`} figures={[['Month', 'Booked', 'Attended (session held)'], ...uptake.months.map((m): [string, number, number] => [monthName(m.month), m.booked, m.held])]}>
      {any ? <GroupedVerticalBarChart data={data} width={440} height={240} barWidth="auto" /> : <Text>No CPD places booked by this academy's staff in these months.</Text>}
    </ChartCard>
  );
}
