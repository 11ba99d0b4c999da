/** The API's answers as the tab reads them (src/features/commissions/commissions.api.ts). */
export type Status = 'requested' | 'agreed' | 'in_progress' | 'impact_review' | 'closed' | 'declined';
export type Step = 'agree' | 'decline' | 'start' | 'begin_review' | 'close';
export type Judgement = 'met' | 'partly_met' | 'not_met';

export interface Options {
  academies: Array<{ id: string; name: string; canRaise: boolean }>;
  supportTypes: Array<{ id: string; label: string; summary: string; recipient: 'academy' | 'external_school' }>;
  statuses: Array<{ id: Status; label: string }>;
  judgements: Array<{ id: Judgement; label: string }>;
  canManage: boolean;
  limits: { short: number; text: number; measures: number; staff: number; outcomes: number; updateText: number };
}

export interface Me {
  aadObjectId: string;
  displayName: string;
  roles: string[];
}

export interface CommissionSummary {
  id: string;
  reference: string;
  academyId: string;
  supportTypeId: string;
  status: Status;
  version: number;
  need: string;
  externalSchoolName: string | null;
  startDate: string | null;
  endDate: string | null;
  measureCount: number;
  raisedByName: string;
  createdAt: string;
  updatedAt: string;
}

export interface Measure {
  id: string;
  description: string;
  baseline: string;
  target: string;
  reviewDate: string;
  judgement: Judgement | null;
  judgementNote: string | null;
}

export interface Commission extends Omit<CommissionSummary, 'externalSchoolName' | 'measureCount'> {
  evidence: string;
  externalSchool: { name: string; keyOutcomes: string[]; termCount: number } | null;
  measures: Measure[];
  assignedStaff: string[];
  declineReason: string | null;
}

export interface Detail {
  commission: Commission;
  updates: Array<{ id: string; at: string; byName: string; kind: string; statusAfter: Status; text: string | null }>;
  steps: Step[];
  canAddUpdate: boolean;
}

export interface ListAnswer {
  commissions: CommissionSummary[];
  counts: { byStatus: Partial<Record<Status, number>>; byType: Record<string, number> };
}

export interface Uptake {
  academyId: string;
  months: Array<{ month: string; booked: number; held: number }>;
}
