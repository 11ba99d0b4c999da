import { formatDay, formatSpan } from '../cpd-time.domain.js';

/** The CPD catalogue as plain values: what the repository returns and the rules read. */

export type CourseKind = 'programme' | 'standalone';
export type SessionMode = 'in_person' | 'online';

export interface CpdCourse {
  id: string;
  title: string;
  summary: string;
  strandId: string;
  audienceIds: string[];
  facilitator: string;
  kind: CourseKind;
  categoryId: string | null;
  active: boolean;
}

export interface CpdOffering {
  id: string;
  courseId: string;
  label: string;
  capacity: number;
  bookingClosesAt: Date;
  status: 'scheduled' | 'cancelled';
}

export interface CpdSession {
  id: string;
  offeringId: string;
  sequence: number;
  startsAt: Date;
  endsAt: Date;
  mode: SessionMode;
  venue: string | null;
  meetingUrl: string | null;
}

/** A bookable offering with its course and every session, in order. */
export interface OfferingDetails {
  course: CpdCourse;
  offering: CpdOffering;
  sessions: CpdSession[];
}

/** A whole catalogue to write: what the CSV import (and the sample catalogue) produce. */
export interface CatalogueWrite {
  courses: Array<Omit<CpdCourse, 'active'>>;
  offerings: Array<Omit<CpdOffering, 'status'>>;
  sessions: CpdSession[];
}

export interface SeatCount {
  offeringId: string;
  confirmed: number;
  waitlisted: number;
  /** Seats not yet confirmed to anyone; 0 when full (new bookings then join the waitlist). */
  placesLeft: number;
}

export function seatCount(offering: Pick<CpdOffering, 'id' | 'capacity'>, confirmed: number, waitlisted: number): SeatCount {
  return { offeringId: offering.id, confirmed, waitlisted, placesLeft: Math.max(0, offering.capacity - confirmed) };
}

export function firstSession(details: OfferingDetails): CpdSession | undefined {
  return details.sessions[0];
}

/**
 * Which offerings people are shown: scheduled, of an active course, and not yet started (the first
 * session is still ahead). A programme that has begun is no longer offered — nobody joins halfway —
 * and a standalone session drops out once it starts. Whether it can still be booked is separate.
 */
export function isOnOffer(details: OfferingDetails, now: Date): boolean {
  const first = firstSession(details);
  return (
    details.offering.status === 'scheduled' &&
    details.course.active &&
    first !== undefined &&
    first.startsAt.getTime() > now.getTime()
  );
}

/** On offer and booking has not closed. */
export function isBookingOpen(details: OfferingDetails, now: Date): boolean {
  return isOnOffer(details, now) && details.offering.bookingClosesAt.getTime() > now.getTime();
}

/** True when any session starts inside [from, to). */
export function hasSessionBetween(details: OfferingDetails, from: Date, to: Date): boolean {
  return details.sessions.some((s) => s.startsAt.getTime() >= from.getTime() && s.startsAt.getTime() < to.getTime());
}

/** "Tue 12 Jan 2027, 15:45–17:15", or for a programme "6 sessions from Tue 12 Jan 2027". */
export function describeWhen(sessions: readonly CpdSession[], timeZone: string): string {
  const first = sessions[0];
  if (!first) return 'Dates to be confirmed';
  if (sessions.length === 1) return formatSpan(first.startsAt, first.endsAt, timeZone);
  return `${sessions.length} sessions from ${formatDay(first.startsAt, timeZone)}`;
}

/** "Online (Teams)", the venue, or "Online and at <venue>" for a mixed programme. */
export function describeWhere(sessions: readonly CpdSession[]): string {
  const venues = [...new Set(sessions.filter((s) => s.mode === 'in_person').map((s) => s.venue ?? ''))].filter(Boolean);
  const online = sessions.some((s) => s.mode === 'online');
  if (venues.length === 0) return online ? 'Online (Teams)' : 'Venue to be confirmed';
  const where = venues.length === 1 ? venues[0] : `${venues[0]} and ${venues.length - 1} other venue${venues.length > 2 ? 's' : ''}`;
  return online ? `Online (Teams) and ${where}` : where;
}

export function describeSessionPlace(session: CpdSession): string {
  return session.mode === 'online' ? 'Online (Teams)' : (session.venue ?? 'Venue to be confirmed');
}

/** "4 places left", "1 place left", or "Full — join the waitlist". */
export function describePlaces(seats: Pick<SeatCount, 'placesLeft'>): string {
  if (seats.placesLeft <= 0) return 'Full — join the waitlist';
  return `${seats.placesLeft} place${seats.placesLeft === 1 ? '' : 's'} left`;
}
