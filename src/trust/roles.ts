/**
 * The roles the app knows. They are code, not data, because `can()` decides what each may do;
 * a trust profile supplies their labels and which Entra ID groups grant them.
 */
export const ROLES = [
  'staff',
  'senco',
  'academy_leader',
  'development_team',
  'inclusion_team',
  'director_of_education',
  'admin',
] as const;

export type Role = (typeof ROLES)[number];

/** Roles held for a particular academy: granted through that academy's own groups. */
export const ACADEMY_ROLES = ['senco', 'academy_leader'] as const satisfies readonly Role[];

/** The per-academy Entra ID groups each academy lists, and the role each grants. */
export const ACADEMY_GROUP_KINDS = ['staff', 'leaders', 'sencos'] as const;
export type AcademyGroupKind = (typeof ACADEMY_GROUP_KINDS)[number];

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}
