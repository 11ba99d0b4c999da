import { Badge, Body1, Button, Card, Subtitle1, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, tokens } from '@fluentui/react-components';
import { useState } from 'react';
import type { Api } from './api-client.js';
import { StatusBadge } from './status-badge.js';
import { StepForm, type FormKind } from './step-forms.js';
import { Timeline } from './timeline.js';
import type { Detail, Options, Step } from './types.js';

const STEP_BUTTONS: Record<Step, string> = { agree: 'Agree…', decline: 'Decline…', start: 'Start the support', begin_review: 'Begin impact review', close: 'Close with judgements…' };

/** One commission: what it is for, what was agreed, its timeline and log, and the steps this person may take. */
export function CommissionDetail({ api, options, detail, academyName, onChanged, onBack }: { api: Api; options: Options; detail: Detail; academyName: string; onChanged: (d: Detail) => void; onBack: () => void }) {
  const [form, setForm] = useState<FormKind>();
  const [formOpen, setFormOpen] = useState(false);
  const show = (kind: FormKind) => {
    setForm(kind);
    setFormOpen(true);
  };
  const c = detail.commission;
  const type = options.supportTypes.find((t) => t.id === c.supportTypeId);
  const reviewing = options.canManage && (c.status === 'in_progress' || c.status === 'impact_review');
  return (
    <article aria-labelledby="commission-heading" style={{ display: 'grid', gap: tokens.spacingVerticalL }}>
      <div>
        <Button appearance="subtle" onClick={onBack}>
          ← All commissions
        </Button>
      </div>
      <header style={{ display: 'flex', gap: 12, alignItems: 'center', flexWrap: 'wrap' }}>
        <Subtitle1 as="h2" id="commission-heading">
          {c.reference} · {academyName}
        </Subtitle1>
        <StatusBadge status={c.status} options={options} />
        <Text>{type?.label ?? c.supportTypeId}</Text>
      </header>
      <div role="toolbar" aria-label="What you can do" style={{ display: 'flex', gap: 8, flexWrap: 'wrap' }}>
        {detail.steps.map((s) => (
          <Button key={s} appearance={s === 'decline' ? 'secondary' : 'primary'} onClick={() => show(s)}>
            {STEP_BUTTONS[s]}
          </Button>
        ))}
        {reviewing && <Button onClick={() => show('review')}>Record a review…</Button>}
        {detail.canAddUpdate && <Button onClick={() => show('note')}>Add an update…</Button>}
      </div>
      <Card>
        <Timeline detail={detail} options={options} />
      </Card>
      <Card>
        <h3>The need</h3>
        <Body1 style={{ whiteSpace: 'pre-wrap' }}>{c.need}</Body1>
        <h3>Evidence</h3>
        <Body1 style={{ whiteSpace: 'pre-wrap' }}>{c.evidence}</Body1>
        {c.externalSchool && (
          <>
            <h3>School-to-school support</h3>
            <Body1>
              {c.externalSchool.name}, over {c.externalSchool.termCount} terms. Key outcomes:
            </Body1>
            <ul>
              {c.externalSchool.keyOutcomes.map((o) => (
                <li key={o}>{o}</li>
              ))}
            </ul>
          </>
        )}
        {c.declineReason && (
          <>
            <h3>Why it was declined</h3>
            <Body1>{c.declineReason}</Body1>
          </>
        )}
        <p>
          Raised by {c.raisedByName}
          {c.startDate && c.endDate ? ` · runs ${c.startDate} to ${c.endDate}` : ''}
          {c.assignedStaff.length ? ` · assigned: ${c.assignedStaff.join(', ')}` : ''}
        </p>
      </Card>
      <Card>
        <h3>Impact measures</h3>
        {c.measures.length === 0 ? (
          <Text>Impact measures are agreed with the Director of Education before the support starts.</Text>
        ) : (
          <Table aria-label="Impact measures" size="small">
            <TableHeader>
              <TableRow>
                <TableHeaderCell>Measure</TableHeaderCell>
                <TableHeaderCell>Baseline</TableHeaderCell>
                <TableHeaderCell>Target</TableHeaderCell>
                <TableHeaderCell>Review date</TableHeaderCell>
                <TableHeaderCell>Impact</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {c.measures.map((m) => (
                <TableRow key={m.id}>
                  <TableCell>{m.description}</TableCell>
                  <TableCell>{m.baseline}</TableCell>
                  <TableCell>{m.target}</TableCell>
                  <TableCell>{m.reviewDate}</TableCell>
                  <TableCell>{m.judgement ? <Badge appearance="outline">{options.judgements.find((j) => j.id === m.judgement)?.label}</Badge> : '—'}{m.judgementNote ? ` ${m.judgementNote}` : ''}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </Card>
      <Card>
        <h3>Update log</h3>
        <ol style={{ margin: 0, paddingLeft: 20, display: 'grid', gap: 6 }}>
          {detail.updates.map((u) => (
            <li key={u.id}>
              <Text weight="semibold">
                <time dateTime={u.at}>{new Date(u.at).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' })}</time> · {u.byName}
              </Text>
              {u.text && <Body1 style={{ display: 'block', whiteSpace: 'pre-wrap' }}>{u.text}</Body1>}
            </li>
          ))}
        </ol>
      </Card>
      {form && <StepForm key={form} api={api} options={options} detail={detail} kind={form} open={formOpen} onClose={() => setFormOpen(false)} onDone={onChanged} />}
    </article>
  );
}
