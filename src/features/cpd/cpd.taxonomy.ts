import type { TrustProfile } from '../../trust/trust-profile.schema.js';

/**
 * The parts of a trust profile the CPD catalogue and search use, as plain data. Domain code takes
 * this rather than the whole profile so it stays testable with small hand-written taxonomies.
 */
export interface CpdTaxonomy {
  /** IANA zone every local date and time is read and written in (Europe/London for Harmony). */
  timeZone: string;
  strands: ReadonlyArray<{ id: string; name: string }>;
  categories: ReadonlyArray<{ id: string; name: string }>;
  /** Who a course is for; `roles` are the app roles that count as this audience (favoured in search). */
  audiences: ReadonlyArray<{ id: string; label: string; roles: readonly string[] }>;
  /** Strands a role cares about beyond its audiences (a SENCO → Inclusion and SEND), favoured in search. */
  strandsForRoles?: Readonly<Record<string, readonly string[]>>;
  /** Groups of equivalent words and phrases ("SEND", "SEN", "special educational needs"). */
  synonyms: ReadonlyArray<readonly string[]>;
  /** Phrases that name who a course is for ("for SENCOs"): read as an audience, not searched as words. */
  audiencePhrases?: ReadonlyArray<{ phrases: readonly string[]; roles: readonly string[]; audienceIds: readonly string[] }>;
  /** Academic terms and half terms; `starts` and `ends` are local dates (YYYY-MM-DD), both inclusive. */
  terms: ReadonlyArray<AcademicTermDates>;
  /** Default for an offering whose import row gives no booking_closes. */
  bookingClosesHoursBefore: number;
}

export interface AcademicTermDates {
  id: string;
  name: string;
  aliases: readonly string[];
  kind: 'term' | 'half_term';
  starts: string;
  ends: string;
}

/** The thin adapter from the trust profile to what CPD needs. */
export function cpdTaxonomyFromProfile(profile: TrustProfile): CpdTaxonomy {
  return {
    timeZone: profile.trust.timeZone,
    strands: profile.cpd.strands.map((s) => ({ id: s.id, name: s.name })),
    categories: profile.cpd.categories.map((c) => ({ id: c.id, name: c.name })),
    audiences: profile.cpd.audiences.map((a) => ({ id: a.id, label: a.label, roles: a.roles })),
    strandsForRoles: profile.cpd.roleStrands,
    synonyms: profile.search.synonyms,
    audiencePhrases: profile.search.audiencePhrases,
    terms: profile.terms.map((t) => ({ id: t.id, name: t.name, aliases: t.aliases, kind: t.kind, starts: t.starts, ends: t.ends })),
    bookingClosesHoursBefore: profile.cpd.bookingDefaults.bookingClosesHoursBefore,
  };
}
