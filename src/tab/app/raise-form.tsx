import { Dropdown, Field, Input, Option, SpinButton, Textarea } from '@fluentui/react-components';
import { useState } from 'react';
import type { Api } from './api-client.js';
import { fieldErrors, FormDialog, newKey } from './form-bits.js';
import type { Detail, Options } from './types.js';

/** A leader raises a commission: the need and its evidence, the type of support, and for school-to-school support the school. */
export function RaiseForm({ api, options, academyId, open, onClose, onRaised }: { api: Api; options: Options; academyId: string | undefined; open: boolean; onClose: () => void; onRaised: (d: Detail) => void }) {
  const raisable = options.academies.filter((a) => a.canRaise);
  const [submissionKey, setSubmissionKey] = useState(newKey);
  const [academy, setAcademy] = useState(academyId && raisable.some((a) => a.id === academyId) ? academyId : (raisable[0]?.id ?? ''));
  const [type, setType] = useState(options.supportTypes[0]?.id ?? '');
  const [need, setNeed] = useState('');
  const [evidence, setEvidence] = useState('');
  const [school, setSchool] = useState('');
  const [outcomes, setOutcomes] = useState('');
  const [terms, setTerms] = useState(5);
  const external = options.supportTypes.find((t) => t.id === type)?.recipient === 'external_school';
  const submit = async () => {
    const detail = await api<Detail>('POST', 'commissions', {
      submissionKey,
      academyId: academy,
      supportTypeId: type,
      need,
      evidence,
      ...(external ? { externalSchool: { name: school, keyOutcomes: outcomes.split('\n').map((o) => o.trim()).filter(Boolean), termCount: terms } } : {}),
    });
    onRaised(detail);
    // A fresh form and submission key for the next commission; a retry of this one reused the key.
    setSubmissionKey(newKey());
    setNeed('');
    setEvidence('');
    setSchool('');
    setOutcomes('');
  };
  return (
    <FormDialog title="Raise a commission" submitLabel="Raise commission" open={open} onClose={onClose} onSubmit={submit}>
      {(error) => {
        const errors = fieldErrors(error);
        return (
          <>
            <Field label="Academy" required validationMessage={errors.academyId}>
              <Dropdown value={raisable.find((a) => a.id === academy)?.name ?? ''} selectedOptions={[academy]} onOptionSelect={(_e, d) => setAcademy(d.optionValue ?? '')}>
                {raisable.map((a) => (
                  <Option key={a.id} value={a.id}>
                    {a.name}
                  </Option>
                ))}
              </Dropdown>
            </Field>
            <Field label="Type of support" required validationMessage={errors.supportTypeId} hint={options.supportTypes.find((t) => t.id === type)?.summary}>
              <Dropdown value={options.supportTypes.find((t) => t.id === type)?.label ?? ''} selectedOptions={[type]} onOptionSelect={(_e, d) => setType(d.optionValue ?? '')}>
                {options.supportTypes.map((t) => (
                  <Option key={t.id} value={t.id}>
                    {t.label}
                  </Option>
                ))}
              </Dropdown>
            </Field>
            <Field label="The need" required validationMessage={errors.need} hint="What you identified through self-evaluation or the termly academy visit.">
              <Textarea value={need} onChange={(_e, d) => setNeed(d.value)} rows={4} />
            </Field>
            <Field label="Evidence" required validationMessage={errors.evidence}>
              <Textarea value={evidence} onChange={(_e, d) => setEvidence(d.value)} rows={3} />
            </Field>
            {external && (
              <>
                <Field label="School receiving the support" required validationMessage={errors['externalSchool.name']}>
                  <Input value={school} onChange={(_e, d) => setSchool(d.value)} />
                </Field>
                <Field label="Key outcomes of the agreement (one a line)" required validationMessage={errors['externalSchool.keyOutcomes'] ?? errors['externalSchool.keyOutcomes.0']}>
                  <Textarea value={outcomes} onChange={(_e, d) => setOutcomes(d.value)} rows={3} />
                </Field>
                <Field label="Number of terms" validationMessage={errors['externalSchool.termCount']}>
                  <SpinButton value={terms} min={1} max={12} onChange={(_e, d) => setTerms(d.value ?? (Number(d.displayValue) || 5))} />
                </Field>
              </>
            )}
          </>
        );
      }}
    </FormDialog>
  );
}
