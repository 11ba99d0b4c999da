/**
 * The labelled CPD search set: how staff ask for a course → the sample catalogue's course ids that
 * answer it. A phrasing counts as answered when any of its courses is in the top 3 results.
 * No date phrases: dates filter, they do not rank; this set measures topic ranking.
 */
export interface LabelledPhrasing {
  text: string;
  expected: readonly string[];
  /** The asker's app roles (default: a member of staff). */
  roles?: readonly string[];
}

const PHONICS = ['phonics-leadership-teaching'];
const SUBJECT_LEADERS = ['subject-leader-programme'];
const SEND = ['send-inquiry-days', 'adaptive-teaching-send'];
const VOCABULARY = ['vocabulary-and-talk'];
const READING = ['reading-comprehension-writing'];
const TAS = ['maximising-teaching-assistants'];
const ECT = ['ect-induction'];
const EYFS = ['eyfs-enabling-environments', 'eyfs-communication-language'];
const BEHAVIOUR = ['behaviour-framework'];
const HTML = ['html-devices'];
const METACOGNITION = ['expert-learners-metacognition'];
const ATTENDANCE = ['attendance-persistent-absence'];
const SAFEGUARDING = ['dsl-update'];
const FAMILIES = ['working-with-families'];
const RHE = ['rhe-personal-development'];

export const SEARCH_PHRASINGS: readonly LabelledPhrasing[] = [
  { text: 'phonics', expected: PHONICS },
  { text: 'phonix', expected: PHONICS },
  { text: 'any phonics training?', expected: PHONICS },
  { text: 'early reading', expected: PHONICS },
  { text: 'SSP training', expected: PHONICS },
  { text: 'phonics screening check', expected: PHONICS },
  { text: 'keep up sessions', expected: PHONICS },
  { text: 'phonics for TAs', expected: PHONICS },
  { text: 'subject leadership', expected: SUBJECT_LEADERS },
  { text: 'subjct leader programme', expected: SUBJECT_LEADERS },
  { text: 'middle leaders course', expected: SUBJECT_LEADERS },
  { text: 'cpd for new subject leaders', expected: SUBJECT_LEADERS },
  { text: 'leadership training', expected: SUBJECT_LEADERS },
  { text: 'leadership development for new heads', expected: [...SUBJECT_LEADERS, ...SAFEGUARDING], roles: ['academy_leader'] },
  { text: 'SENCO training', expected: SEND },
  { text: 'training for SENDCos', expected: SEND },
  { text: 'courses for sencos', expected: SEND },
  { text: 'SEND', expected: SEND },
  { text: 'special educational needs', expected: SEND },
  { text: 'inclusion', expected: SEND },
  { text: 'adaptive teaching', expected: ['adaptive-teaching-send'] },
  { text: 'SEND courses for TAs', expected: ['adaptive-teaching-send'] },
  { text: 'vocabulary', expected: VOCABULARY },
  { text: 'vocab', expected: VOCABULARY },
  { text: 'vocabluary', expected: VOCABULARY },
  { text: 'oracy', expected: VOCABULARY },
  { text: 'CPD on vocabulary', expected: VOCABULARY },
  { text: 'speaking and listening', expected: VOCABULARY },
  { text: 'reading comprehension', expected: READING },
  { text: 'writing CPD', expected: READING },
  { text: 'reciprocal reading', expected: READING },
  { text: 'TA training', expected: TAS },
  { text: 'CPD for teaching assistants', expected: TAS },
  { text: 'LSA course', expected: TAS },
  { text: 'ECT induction', expected: ECT },
  { text: 'NQT induction', expected: ECT },
  { text: 'ECF', expected: ECT },
  { text: 'early career framework', expected: ECT },
  { text: 'induction for new teachers', expected: ECT },
  { text: 'EYFS', expected: EYFS },
  { text: 'early years courses', expected: EYFS },
  { text: 'reception class training', expected: EYFS },
  { text: 'nursery provision', expected: EYFS },
  { text: 'communication and language', expected: ['eyfs-communication-language'] },
  { text: 'speech and language', expected: ['eyfs-communication-language'] },
  { text: 'behaviour', expected: BEHAVIOUR },
  { text: 'behavior management', expected: BEHAVIOUR },
  { text: 'de-escalation', expected: BEHAVIOUR },
  { text: 'behaviuor training', expected: BEHAVIOUR },
  { text: '1-2-1 devices', expected: HTML },
  { text: 'edtech', expected: HTML },
  { text: 'retrieval practice', expected: HTML },
  { text: 'metacognition', expected: METACOGNITION },
  { text: 'metacognitoin', expected: METACOGNITION },
  { text: 'self-regulated learning', expected: METACOGNITION },
  { text: 'attendance', expected: ATTENDANCE },
  { text: 'persistent absence', expected: ATTENDANCE },
  { text: 'attendence training', expected: ATTENDANCE },
  { text: 'safeguarding', expected: SAFEGUARDING },
  { text: 'safegaurding', expected: SAFEGUARDING },
  { text: 'DSL update', expected: SAFEGUARDING },
  { text: 'KCSIE', expected: SAFEGUARDING },
  { text: 'parental engagement', expected: FAMILIES },
  { text: 'working with parents', expected: FAMILIES },
  { text: 'families', expected: FAMILIES },
  { text: 'RHE', expected: RHE },
  { text: 'RSE', expected: RHE },
  { text: 'relationships education', expected: RHE },
  { text: 'personal development', expected: RHE },
  { text: 'Harmony Pledge', expected: RHE },
];
