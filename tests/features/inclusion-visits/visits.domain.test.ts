import { describe, expect, it } from 'vitest';
import { validateTriage } from '../../../src/features/inclusion-visits/triage.domain.js';
import { openFiltersFrom, scoreMyVisits, scoreOpenVisits, scoreRequestVisit } from '../../../src/features/inclusion-visits/visits-intents.domain.js';
import {
  availableTriageActions,
  fieldErrorsOf,
  nextStatus,
  retentionCutoff,
  TRIAGE_ACTIONS,
  validateVisitRequest,
  VISIT_STATUSES,
  visitReference,
  type VisitRequestForm,
} from '../../../src/features/inclusion-visits/visits.domain.js';

const ctx = { today: '2026-11-23', academyIds: ['brookside', 'larkfield'], focusAreaIds: ['transition', 'behaviour-exclusions'] };
const form = (overrides: Partial<VisitRequestForm> = {}): VisitRequestForm => ({
  academyId: 'brookside',
  focusAreaIds: ['transition'],
  otherFocus: '',
  earlyHelp: 'JS (Y6) transition planning',
  urgency: 'routine',
  urgencyReason: '',
  preferredFrom: '',
  preferredTo: '',
  preferredNote: '',
  contact: 'priya@harmony.example',
  ...overrides,
});
const errorsFor = (f: VisitRequestForm): Record<string, string> => {
  const result = validateVisitRequest(f, ctx);
  if (result.ok) throw new Error('expected the form to be refused');
  expect(result.code).toBe('invalid_request');
  return fieldErrorsOf(result);
};

describe('the request form', () => {
  it('accepts a complete form and drops the text of choices not taken', () => {
    const result = validateVisitRequest(form({ otherFocus: 'left over', urgencyReason: '', focusAreaIds: ['transition', 'transition'] }), ctx);
    expect(result).toEqual({
      ok: true,
      value: expect.objectContaining({ focusAreaIds: ['transition'], otherFocus: null, urgency: 'routine', urgencyReason: null, preferredFrom: null }) as unknown,
    });
  });

  it('reports every problem at once, by field', () => {
    expect(errorsFor(form({ academyId: '', focusAreaIds: [], earlyHelp: '', urgency: 'whenever', contact: '' }))).toEqual({
      academyId: 'Choose the academy the visit is for.',
      focusAreaIds: 'Choose at least one focus area.',
      earlyHelp: 'The early help needed is required.',
      urgency: 'Choose how urgent this is.',
      contact: 'A contact is required.',
    });
  });

  it.each([
    ['an academy the person does not serve', { academyId: 'kingfisher' }, 'academyId'],
    ['an academy that does not exist', { academyId: 'atlantis' }, 'academyId'],
    ['a focus area not offered', { focusAreaIds: ['transition', 'astrology'] }, 'focusAreaIds'],
    ['"other" without saying what', { focusAreaIds: ['other'] }, 'otherFocus'],
    ['urgent without a reason', { urgency: 'urgent' }, 'urgencyReason'],
    ['a date in the past', { preferredFrom: '2026-11-22' }, 'preferredFrom'],
    ['a date that does not exist', { preferredTo: '2026-02-30' }, 'preferredTo'],
    ['a date in another format', { preferredFrom: '23/12/2026' }, 'preferredFrom'],
    ['a window that ends before it starts', { preferredFrom: '2026-12-10', preferredTo: '2026-12-01' }, 'preferredTo'],
    ['oversized early help', { earlyHelp: 'x'.repeat(2001) }, 'earlyHelp'],
    ['an oversized contact', { contact: 'x'.repeat(201) }, 'contact'],
    ['an oversized note on dates', { preferredNote: 'x'.repeat(301) }, 'preferredNote'],
  ] as const)('refuses %s', (_label, overrides, field) => {
    expect(Object.keys(errorsFor(form(overrides as Partial<VisitRequestForm>)))).toEqual([field]);
  });

  it('takes today and text exactly at the cap', () => {
    expect(validateVisitRequest(form({ preferredFrom: '2026-11-23', preferredTo: '2026-11-23', earlyHelp: 'x'.repeat(2000) }), ctx).ok).toBe(true);
  });
});

describe('the triage state machine', () => {
  const expected: Record<string, string | null> = {
    'submitted assign': 'assigned',
    'submitted schedule': 'scheduled',
    'submitted decline': 'declined',
    'submitted complete': null,
    'assigned assign': 'assigned',
    'assigned schedule': 'scheduled',
    'assigned decline': 'declined',
    'assigned complete': null,
    'scheduled assign': null,
    'scheduled schedule': 'scheduled',
    'scheduled decline': 'declined',
    'scheduled complete': 'completed',
    'completed assign': null,
    'completed schedule': null,
    'completed decline': null,
    'completed complete': null,
    'declined assign': null,
    'declined schedule': null,
    'declined decline': null,
    'declined complete': null,
  };

  it('allows exactly these transitions and refuses the rest with illegal_transition', () => {
    const actual = Object.fromEntries(
      VISIT_STATUSES.flatMap((status) =>
        TRIAGE_ACTIONS.map((action) => {
          const result = nextStatus(status, action);
          if (!result.ok) expect(result.code).toBe('illegal_transition');
          return [`${status} ${action}`, result.ok ? result.value : null];
        }),
      ),
    );
    expect(actual).toEqual(expected);
  });

  it('offers on a card only the actions the machine allows', () => {
    for (const status of VISIT_STATUSES) {
      expect(availableTriageActions(status)).toEqual(TRIAGE_ACTIONS.filter((a) => expected[`${status} ${a}`] !== null));
    }
    expect(availableTriageActions('completed')).toEqual([]);
  });

  it('checks triage input: a real future date, a 24-hour time, who visits, a reason, outcome notes', () => {
    const today = '2026-11-23';
    expect(validateTriage({ action: 'schedule', scheduledDate: '2026-12-01', scheduledTime: '09:30', scheduledWith: 'JM' }, today).ok).toBe(true);
    const bad = validateTriage({ action: 'schedule', scheduledDate: '2026-11-01', scheduledTime: '9.30', scheduledWith: '' }, today);
    expect(bad.ok ? {} : Object.keys(fieldErrorsOf(bad))).toEqual(['scheduledDate', 'scheduledTime', 'scheduledWith']);
    expect(validateTriage({ action: 'decline', declineReason: '' }, today).ok).toBe(false);
    expect(validateTriage({ action: 'complete', outcomeNotes: 'x'.repeat(2001), followUp: '', recommended: '' }, today).ok).toBe(false);
    expect(validateTriage({ action: 'assign', assigneeName: '' }, today)).toEqual({ ok: true, value: { action: 'assign', assigneeName: null } });
  });
});

describe('references, retention and intents', () => {
  it('writes short references and computes the retention cut-off', () => {
    expect(visitReference(7)).toBe('IV-0007');
    expect(visitReference(12345)).toBe('IV-12345');
    expect(retentionCutoff(new Date('2026-11-23T00:00:00Z'), 730).toISOString()).toBe('2024-11-23T00:00:00.000Z');
  });

  it('scores the ways people ask for each journey, and not other messages', () => {
    for (const text of ['request an inclusion visit', 'I need an Inclusion Support Visit', 'Book an inclusoin vist please', 'request a visit from the inclusion team']) {
      expect(scoreRequestVisit(text), text).toBeGreaterThanOrEqual(0.5);
    }
    for (const text of ['any phonics training?', 'my bookings', 'inclusion CPD next month', 'my visit requests', 'open visit requests']) {
      expect(scoreRequestVisit(text), text).toBeLessThan(0.5);
    }
    expect(scoreMyVisits('my visit requests')).toBeGreaterThan(0.9);
    expect(scoreMyVisits('open visit requests')).toBe(0);
    expect(scoreOpenVisits('open visit requests urgent north hub')).toBeGreaterThan(0.9);
    expect(scoreOpenVisits('my bookings')).toBe(0);
  });

  it('reads filters from "open visit requests"', () => {
    const vocabulary = {
      hubs: [{ id: 'north', name: 'North hub' }, { id: 'central', name: 'Central hub' }],
      focusAreas: [{ id: 'transition', label: 'Transition issues' }, { id: 'behaviour-exclusions', label: 'Behaviour and exclusions' }],
    };
    expect(openFiltersFrom('open visit requests urgent central hub behaviour', vocabulary)).toEqual({ hubId: 'central', urgency: 'urgent', focusAreaId: 'behaviour-exclusions' });
    expect(openFiltersFrom('open visit requests', vocabulary)).toEqual({});
  });
});
