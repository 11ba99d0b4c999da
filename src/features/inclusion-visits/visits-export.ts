import type { SubjectAccessExport } from './visits.service.js';

/**
 * Subject-access export formats. JSON is the whole record; CSV is three tables (the requests, the
 * questions asked about them with the answers, then the audit trail) for a spreadsheet. Cells that a spreadsheet would run as a formula are prefixed
 * with an apostrophe.
 */
export function exportAsJson(person: string, data: SubjectAccessExport, at: Date): string {
  return `${JSON.stringify({ subject: person, exportedAt: at.toISOString(), requests: data.visits, questions: data.questions, audit: data.audit }, null, 2)}\n`;
}

const REQUEST_COLUMNS = [
  'reference', 'status', 'academyId', 'hubId', 'createdAt', 'urgency', 'focusAreaIds', 'otherFocus', 'earlyHelp', 'urgencyReason',
  'preferredFrom', 'preferredTo', 'preferredNote', 'contact', 'assigneeName', 'scheduledDate', 'scheduledTime', 'scheduledWith',
  'declineReason', 'outcomeNotes', 'followUp', 'recommended', 'closedAt', 'erasedAt',
] as const;

export function exportAsCsv(data: SubjectAccessExport): string {
  const references = new Map(data.visits.map((v) => [v.id, v.reference]));
  const requests = data.visits.map((v) => REQUEST_COLUMNS.map((c) => cell(v[c])));
  const questions = data.questions.map((q) =>
    [references.get(q.visitId) ?? q.visitId, q.askedAt, q.askedByName, q.question, q.answeredAt, q.answer].map(cell),
  );
  const audit = data.audit.map((a) => [references.get(a.visitId) ?? a.visitId, a.at, a.action, a.actorAadId, JSON.stringify(a.details)].map(cell));
  return [
    REQUEST_COLUMNS.join(','),
    ...requests.map((r) => r.join(',')),
    '',
    'reference,askedAt,askedBy,question,answeredAt,answer',
    ...questions.map((r) => r.join(',')),
    '',
    'reference,at,action,actorAadId,details',
    ...audit.map((r) => r.join(',')),
    '',
  ].join('\r\n');
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text: string;
  if (value instanceof Date) text = value.toISOString();
  else if (Array.isArray(value)) text = value.join(';');
  else if (typeof value === 'string') text = value;
  else if (typeof value === 'number' || typeof value === 'boolean') text = String(value);
  else text = JSON.stringify(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
