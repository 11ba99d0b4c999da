import { Button, Field, Input, Select, Textarea, tokens } from '@fluentui/react-components';
import { useState } from 'react';
import type { Api } from './api-client.js';
import { fieldErrors, FormDialog } from './form-bits.js';
import type { Detail, Judgement, Options, Step } from './types.js';

type MeasureDraft = { description: string; baseline: string; target: string; reviewDate: string };
const emptyMeasure = (): MeasureDraft => ({ description: '', baseline: '', target: '', reviewDate: '' });

export type FormKind = Step | 'review' | 'note';

const TITLES: Record<FormKind, [string, string]> = {
  agree: ['Agree the commission', 'Agree'],
  decline: ['Decline the request', 'Decline'],
  start: ['Start the support', 'Start'],
  begin_review: ['Begin the impact review', 'Begin review'],
  close: ['Close with an impact judgement', 'Close commission'],
  review: ['Record a review', 'Save review'],
  note: ['Add an update', 'Add update'],
};

const PATHS: Record<FormKind, string> = { agree: 'agree', decline: 'decline', start: 'start', begin_review: 'begin-review', close: 'close', review: 'reviews', note: 'notes' };

/** One dialog per step the Director of Education takes, and the update anyone following the commission may add. */
export function StepForm({ api, options, detail, kind, open, onClose, onDone }: { api: Api; options: Options; detail: Detail; kind: FormKind; open: boolean; onClose: () => void; onDone: (d: Detail) => void }) {
  const c = detail.commission;
  const [measures, setMeasures] = useState<MeasureDraft[]>([emptyMeasure()]);
  const [staff, setStaff] = useState('');
  const [startDate, setStartDate] = useState(c.startDate ?? '');
  const [endDate, setEndDate] = useState(c.endDate ?? '');
  const [text, setText] = useState('');
  const [judgements, setJudgements] = useState<Record<string, { judgement: Judgement | ''; note: string }>>({});
  const setMeasure = (i: number, field: keyof MeasureDraft, value: string) => setMeasures((all) => all.map((m, j) => (j === i ? { ...m, [field]: value } : m)));

  const body = (): Record<string, unknown> => {
    switch (kind) {
      case 'agree':
        return { version: c.version, measures, assignedStaff: staff.split(',').map((s) => s.trim()).filter(Boolean), startDate, endDate, note: text };
      case 'decline':
        return { version: c.version, reason: text };
      case 'review':
      case 'note':
        return { version: c.version, text };
      case 'close':
        return {
          version: c.version,
          note: text,
          judgements: c.measures.flatMap((m) => (judgements[m.id]?.judgement ? [{ measureId: m.id, judgement: judgements[m.id].judgement, note: judgements[m.id].note }] : [])),
        };
      case 'start':
      case 'begin_review':
        return { version: c.version, note: text };
    }
  };
  const [title, submitLabel] = TITLES[kind];
  return (
    <FormDialog title={`${title} ${c.reference}`} submitLabel={submitLabel} open={open} onClose={onClose} onSubmit={async () => {
        onDone(await api<Detail>('POST', `commissions/${c.id}/${PATHS[kind]}`, body()));
        setText('');
      }}
    >
      {(error) => {
        const errors = fieldErrors(error);
        return (
          <>
            {kind === 'agree' && (
              <>
                <fieldset style={{ border: 'none', padding: 0, display: 'grid', gap: tokens.spacingVerticalS }}>
                  <legend style={{ fontWeight: 600 }}>Impact measures, agreed in advance</legend>
                  {measures.map((m, i) => (
                    <div key={i} style={{ display: 'grid', gridTemplateColumns: '2fr 1fr 1fr 1fr', gap: 8, alignItems: 'end' }}>
                      <Field label={`Measure ${i + 1}`} required validationMessage={errors[`measures.${i}.description`]}>
                        <Input value={m.description} onChange={(_e, d) => setMeasure(i, 'description', d.value)} />
                      </Field>
                      <Field label="Baseline" required validationMessage={errors[`measures.${i}.baseline`]}>
                        <Input value={m.baseline} onChange={(_e, d) => setMeasure(i, 'baseline', d.value)} />
                      </Field>
                      <Field label="Target" required validationMessage={errors[`measures.${i}.target`]}>
                        <Input value={m.target} onChange={(_e, d) => setMeasure(i, 'target', d.value)} />
                      </Field>
                      <Field label="Review date" required validationMessage={errors[`measures.${i}.reviewDate`]}>
                        <Input type="date" value={m.reviewDate} onChange={(_e, d) => setMeasure(i, 'reviewDate', d.value)} />
                      </Field>
                    </div>
                  ))}
                  <div>
                    <Button onClick={() => setMeasures((all) => [...all, emptyMeasure()])} disabled={measures.length >= options.limits.measures}>
                      Add a measure
                    </Button>
                    {measures.length > 1 && <Button appearance="subtle" onClick={() => setMeasures((all) => all.slice(0, -1))}>Remove the last measure</Button>}
                  </div>
                </fieldset>
                <Field label="Assigned trust staff (separate names with commas)" required validationMessage={errors.assignedStaff ?? errors['assignedStaff.0']}>
                  <Input value={staff} onChange={(_e, d) => setStaff(d.value)} />
                </Field>
                <div style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 8 }}>
                  <Field label="Start date" required validationMessage={errors.startDate}>
                    <Input type="date" value={startDate} onChange={(_e, d) => setStartDate(d.value)} />
                  </Field>
                  <Field label="End date" required validationMessage={errors.endDate}>
                    <Input type="date" value={endDate} onChange={(_e, d) => setEndDate(d.value)} />
                  </Field>
                </div>
              </>
            )}
            {kind === 'close' &&
              c.measures.map((m) => (
                <div key={m.id} style={{ display: 'grid', gridTemplateColumns: '2fr 1fr 2fr', gap: 8, alignItems: 'end' }}>
                  <Field label={`${m.description} (target ${m.target})`} required>
                    <Select value={judgements[m.id]?.judgement ?? ''} onChange={(_e, d) => setJudgements((all) => ({ ...all, [m.id]: { note: all[m.id]?.note ?? '', judgement: d.value as Judgement } }))}>
                      <option value="">Choose…</option>
                      {options.judgements.map((j) => (
                        <option key={j.id} value={j.id}>
                          {j.label}
                        </option>
                      ))}
                    </Select>
                  </Field>
                  <span />
                  <Field label="Evidence of impact">
                    <Input value={judgements[m.id]?.note ?? ''} onChange={(_e, d) => setJudgements((all) => ({ ...all, [m.id]: { judgement: all[m.id]?.judgement ?? '', note: d.value } }))} />
                  </Field>
                </div>
              ))}
            <Field
              label={kind === 'decline' ? 'Reason' : kind === 'review' ? 'Review' : kind === 'note' ? 'Update' : 'Note (optional)'}
              required={kind === 'decline' || kind === 'review' || kind === 'note'}
              validationMessage={errors.reason ?? errors.text ?? errors.note}
            >
              <Textarea value={text} onChange={(_e, d) => setText(d.value)} rows={3} />
            </Field>
          </>
        );
      }}
    </FormDialog>
  );
}
