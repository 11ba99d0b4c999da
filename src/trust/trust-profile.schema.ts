import { z } from 'zod/v4';
import { ACADEMY_GROUP_KINDS, ROLES } from './roles.js';

/**
 * The shape of a trust profile: everything that makes the app Harmony's rather than another
 * trust's. Objects are strict so a misspelt field is reported instead of silently ignored.
 * Cross-references (hub ids, strand ids, role coverage, unique ids) are checked in
 * trust-profile.checks.ts once the shape is right.
 */

export const slug = z
  .string()
  .regex(/^[a-z0-9]+(?:[-_][a-z0-9]+)*$/, { message: 'must be lower-case letters and digits joined by - or _' });

/** Entra ID object ids are GUIDs. */
export const objectId = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, {
    message: 'must be an Entra ID object id (a GUID such as 0f8fad5b-d9cb-469f-a165-70867728950e)',
  });

const text = z.string().trim().min(1, { message: 'must not be empty' });
/** Teams team and channel ids are thread ids: 19:…@thread.tacv2 (or @thread.skype in older teams). */
const teamsThreadId = z.string().regex(/^19:[^\s;]+@thread\.[a-z0-9]+$/, { message: 'must be a Teams thread id such as 19:abc…@thread.tacv2' });
const isoDate = z.iso.date({ message: 'must be a date written YYYY-MM-DD' });
/** Marks illustrative data (sample academy names, sample group ids) that a real deployment replaces. */
const sample = z.boolean().optional();

const timeZone = text.refine(
  (value) => {
    try {
      new Intl.DateTimeFormat('en-GB', { timeZone: value });
      return true;
    } catch {
      return false;
    }
  },
  { message: 'must be an IANA time zone such as Europe/London' },
);

export const roleSchema = z.enum(ROLES, { message: `must be one of the roles (${ROLES.join(', ')})` });

const academyGroups = z.strictObject({ staff: objectId, leaders: objectId, sencos: objectId });

const academy = z.strictObject({
  id: slug,
  name: text,
  hubId: slug,
  phase: z.enum(['nursery', 'primary', 'secondary', 'all_through', 'special', 'alternative_provision']),
  sample,
  groups: academyGroups,
});

const strand = z.strictObject({ id: slug, name: text, summary: text });
const category = z.strictObject({ id: slug, code: z.string().trim().min(1).max(8).optional(), name: text, summary: text.optional() });
const audience = z.strictObject({ id: slug, label: text, roles: z.array(roleSchema).min(1) });

const term = z.strictObject({
  id: slug,
  name: text,
  /** Other ways people say it ("autumn 1", "first half of the autumn term"). */
  aliases: z.array(text).default([]),
  academicYear: z.string().regex(/^\d{4}-\d{2}$/, { message: 'must be written like 2026-27' }),
  kind: z.enum(['term', 'half_term']),
  starts: isoDate,
  ends: isoDate,
  sample,
});

/**
 * A kind of community this trust runs (network, HLC, workhub…): data, so another trust adds its
 * own ("action research community") without a code change. `cues` are the words people use for
 * the kind in chat ("HLCs", "learning community"); `timeLimited` kinds need start and end dates.
 */
const communityKind = z.strictObject({
  id: slug,
  label: text,
  plural: text,
  cues: z.array(text).min(1),
  timeLimited: z.boolean().default(false),
});

const weekday = z.enum(['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday']);
const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'must be a time written HH:MM' });

/** When a community meets: the words shown on cards, and the rule the next meeting is worked out from. */
const meetingPattern = z.strictObject({
  summary: text,
  /** week: every week; fortnight: every other week from `from`; month: the first such weekday of each month. */
  every: z.enum(['week', 'fortnight', 'month']),
  weekday,
  time: clockTime,
  place: text,
  /** The first meeting (fortnightly rhythm and the earliest date shown). */
  from: isoDate,
});

const community = z.strictObject({
  id: slug,
  kind: slug,
  name: text,
  summary: text,
  strandIds: z.array(slug).default([]),
  audienceIds: z.array(slug).min(1),
  /** Academy phases it is for; every phase when empty. */
  phases: z.array(z.enum(['nursery', 'primary', 'secondary', 'all_through', 'special', 'alternative_provision'])).default([]),
  hubId: slug.optional(),
  /** Entra ID object ids of the people who lead it: they approve join requests and see the members. */
  leads: z.array(objectId).default([]),
  /** open: anyone joins at once; by_request: a lead approves each request. */
  joining: z.enum(['open', 'by_request']).default('open'),
  meets: meetingPattern.optional(),
  /** For time-limited kinds (workhubs): the first and last day. */
  starts: isoDate.optional(),
  ends: isoDate.optional(),
  /** The community's own Teams channel, where its announcements are posted. */
  channel: z
    .strictObject({ teamId: teamsThreadId, channelId: teamsThreadId, channelName: text, sample })
    .optional(),
  sample,
});

const labelled = z.strictObject({ id: slug, label: text, summary: text.optional() });

/**
 * How Entra ID groups grant a role: members of any of `groupIds` (trust-wide groups), and/or
 * members of each academy's group of kind `perAcademy` (which also says which academy).
 */
const roleGroup = z.strictObject({
  groupIds: z.array(objectId).default([]),
  perAcademy: z.enum(ACADEMY_GROUP_KINDS).optional(),
  sample,
});

export const trustProfileSchema = z.strictObject({
  $schema: z.string().optional(),
  $comment: z.string().optional(),
  trust: z.strictObject({
    id: slug,
    name: text,
    shortName: text,
    timeZone,
    locale: z.string().regex(/^[a-z]{2,3}(-[A-Z]{2})?$/, { message: 'must be a locale such as en-GB' }),
    teamName: text,
  }),
  hubs: z.array(z.strictObject({ id: slug, name: text, sample })).min(1),
  academies: z.array(academy).min(1),
  cpd: z.strictObject({
    strands: z.array(strand).min(1),
    categories: z.array(category).default([]),
    audiences: z.array(audience).min(1),
    /** Strands a role cares about beyond its audiences (a SENCO → SEND), favoured in CPD search. */
    roleStrands: z.partialRecord(roleSchema, z.array(slug)).default({}),
    bookingDefaults: z.strictObject({
      bookingClosesHoursBefore: z.number().int().min(0).max(24 * 30),
      defaultCapacity: z.number().int().min(1).max(10_000),
    }),
    /** After booking: reminders, feedback on the trust's quality-assurance criteria, impact check-ins. */
    followUp: z.strictObject({
      reminder: z.strictObject({
        /** Whole days before the session's local date (1 = the day before). */
        daysBefore: z.number().int().min(0).max(14),
        /** Local time of day the reminder is sent, HH:MM. */
        at: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'must be a time written HH:MM such as 16:00' }),
      }),
      /** Minutes after a session ends before attendees are asked for feedback. */
      feedbackAfterMinutes: z.number().int().min(0).max(7 * 24 * 60),
      /** Days after the session a response may still be given or changed. */
      feedbackWindowDays: z.number().int().min(1).max(60),
      /** Weeks after the session the impact check-in is sent. */
      impactCheckInWeeks: z.number().int().min(1).max(52),
      /** The feedback statements, each scored 1 (strongly disagree) to 5 (strongly agree). */
      criteria: z
        .array(z.strictObject({ id: slug, stage: z.enum(['intent', 'design', 'delivery']), statement: text }))
        .min(1)
        .max(12),
      /** Fewest answers before the evaluation summary shows a session's written ones (with one or two, the facilitator could tell who wrote them). */
      minimumGroupForComments: z.number().int().min(1).max(50).default(3),
      /** First month (1–12) of the academic year the CPD record groups by. */
      academicYearStartsMonth: z.number().int().min(1).max(12),
      /** Development goals in the CPD record, and the once-only suggestion of new CPD that matches one. */
      goals: z
        .strictObject({
          /** What the trust calls them on cards ("Development goals"). */
          title: text,
          /** Where they are agreed ("appraisal"): the card says "as agreed in <this>". */
          agreedIn: text,
          /** Open goals a person may keep at once: a few, not a to-do list. */
          maxOpen: z.number().int().min(1).max(10),
          /** Local time of day new matching CPD is suggested (once per course, at most one message a day). */
          suggestAt: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'must be a time written HH:MM such as 16:00' }),
          /** Courses named in one suggestion at most. */
          perSuggestion: z.number().int().min(1).max(5),
        })
        .default({ title: 'Development goals', agreedIn: 'appraisal', maxOpen: 5, suggestAt: '16:00', perSuggestion: 3 }),
    }),
  }),
  search: z.strictObject({
    /** Groups of terms that mean the same thing to this trust's staff ("SEND", "SEN", "special educational needs"). */
    synonyms: z.array(z.array(text).min(2)).default([]),
    /**
     * Phrases that say who a course is for ("for SENCOs", "for new heads"): CPD search reads them as
     * an audience (courses for those roles and audiences, and the strands those roles care about) rather than as words.
     */
    audiencePhrases: z
      .array(z.strictObject({ phrases: z.array(text).min(1), roles: z.array(roleSchema).default([]), audienceIds: z.array(slug).default([]) }))
      .default([]),
  }),
  /**
   * What the app offers but this deployment cannot do yet (not built, or not switched on for this trust):
   * a request for it gets an honest answer and what to do instead. The feature, once registered, replaces its entry.
   */
  notYetAvailable: z
    .array(
      z.strictObject({
        /** The feature module that will answer these requests (its folder name). */
        feature: slug,
        title: text,
        status: z.enum(['not_built', 'switched_off']),
        /** Words and phrases that say a message is for this feature; `strong` ones score higher. */
        cues: z.array(text).min(1),
        strongCues: z.array(text).default([]),
        /** What to do instead, in the trust's words. */
        instead: text,
      }),
    )
    .default([]),
  /**
   * The Universal Resource Library: the SharePoint site (and optionally folders in it) that resource
   * search is restricted to, how it searches, and the shortcuts a "nothing found" answer offers.
   * Absent: resource search answers that the library is not set up for this trust.
   */
  resources: z
    .strictObject({
      $comment: z.string().optional(),
      title: text,
      /** The site's URL (https://<tenant>.sharepoint.com/sites/<name>): every search is restricted to it. */
      siteUrl: z.url({ protocol: /^https$/, message: 'must be an https SharePoint site URL' }),
      /** Folders or libraries inside the site to restrict to instead of the whole site (full URLs under siteUrl). */
      paths: z.array(z.url({ protocol: /^https$/ })).max(10).default([]),
      /** Graph search region (NAM, EUR, GBR, …): required by Graph for application-permission search. */
      region: z.string().regex(/^[A-Z]{3}$/, { message: 'must be a Graph search region code such as GBR' }),
      /**
       * `delegated`: each person's own token (results trimmed to what they may open), sign-in required;
       * `delegated_or_application`: the person's token when they have signed in, the app's otherwise;
       * `application`: the app's own permission only (shared content, never private files).
       */
      identity: z.enum(['delegated', 'delegated_or_application', 'application']),
      /** Seconds an identical search is answered from memory (per person when delegated). */
      cacheSeconds: z.number().int().min(0).max(3600).default(60),
      /** Education Endowment Foundation shortcuts the library features, offered when nothing is found. */
      shortcuts: z.array(z.strictObject({ title: text, url: z.url({ protocol: /^https$/ }) })).max(12).default([]),
    })
    .optional(),
  terms: z.array(term).min(1),
  communityKinds: z.array(communityKind).default([]),
  communities: z.array(community).default([]),
  inclusion: z.strictObject({
    visitFocusAreas: z.array(labelled).min(1),
    /** The Inclusion team's channel that visit requests are posted to for triage. */
    triageChannel: z.strictObject({
      $comment: z.string().optional(),
      /** The team's thread id (also its General channel's id), as Teams sends it in channelData.team.id. */
      teamId: teamsThreadId,
      channelId: teamsThreadId,
      channelName: text,
      sample,
    }),
    /** Completed or declined requests keep their free text this many days, then it is erased. */
    retentionDays: z.number().int().min(30).max(3650),
  }),
  bespokeSupport: z.strictObject({
    $comment: z.string().optional(),
    /** `external_school`: school-to-school support, whose recipient is a school outside the trust (its name, key outcomes, terms). */
    types: z.array(labelled.extend({ recipient: z.enum(['academy', 'external_school']).default('academy') })).min(1),
    /** Words in a chat message that ask about commissions ("how is our bespoke support going"); `strongCues` score higher. */
    cues: z.array(text).min(1),
    strongCues: z.array(text).default([]),
    /** The trust's own words for each commission status, where they differ from the app's. */
    statusLabels: z
      .partialRecord(z.enum(['requested', 'agreed', 'in_progress', 'impact_review', 'closed', 'declined']), text)
      .default({}),
  }),
  roles: z.array(z.strictObject({ id: roleSchema, label: text, summary: text })),
  roleGroups: z.strictObject(
    Object.fromEntries(ROLES.map((role) => [role, roleGroup])) as Record<(typeof ROLES)[number], typeof roleGroup>,
  ),
  /** The local sample roster for this profile, relative to the profile file. */
  sampleRoster: z.string().optional(),
});

export type TrustProfile = z.infer<typeof trustProfileSchema>;
export type Academy = TrustProfile['academies'][number];
export type CpdStrand = TrustProfile['cpd']['strands'][number];
export type CpdAudience = TrustProfile['cpd']['audiences'][number];
export type CpdFollowUpSettings = TrustProfile['cpd']['followUp'];
export type AcademicTerm = TrustProfile['terms'][number];
export type Community = TrustProfile['communities'][number];
export type CommunityKind = TrustProfile['communityKinds'][number];
export type RoleGroupMapping = TrustProfile['roleGroups'][keyof TrustProfile['roleGroups']];
