import { fail, ok, type Result } from '../../shared/result.js';
import { TEXT_CAPS } from './visits.domain.js';

/** A question to the requester, or their answer: required and capped like the rest of the free text. */
export function validateQuestionText(field: 'question' | 'answer', text: string): Result<string, 'invalid_request'> {
  const label = field === 'question' ? 'The question' : 'The answer';
  const value = text.trim();
  const error = value === '' ? `${label} is required.` : value.length > TEXT_CAPS[field] ? `${label} is too long: ${value.length} characters, at most ${TEXT_CAPS[field]}.` : undefined;
  if (error) return fail('invalid_request', error, { fieldErrors: { [field]: error } });
  return ok(value);
}
