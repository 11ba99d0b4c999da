import { describe, expect, it } from 'vitest';
import { calendarEventFor, calendarTransactionId } from '../../../../src/features/cpd/calendar/calendar.domain.js';
import type { OfferingDetails } from '../../../../src/features/cpd/catalogue/catalogue.domain.js';
import { bookingCatalogue, MEETING } from '../booking/booking-fixtures.js';

function details(offeringId: string): OfferingDetails {
  const catalogue = bookingCatalogue();
  const offering = catalogue.offerings.find((o) => o.id === offeringId)!;
  const course = catalogue.courses.find((c) => c.id === offering.courseId)!;
  return {
    course: { ...course, active: true },
    offering: { ...offering, status: 'scheduled' },
    sessions: catalogue.sessions.filter((s) => s.offeringId === offeringId),
  };
}

describe('the Outlook event for a booked session', () => {
  it('names the session within a programme and puts the venue in the location', () => {
    const slp = details('slp-spring');
    const event = calendarEventFor(slp, slp.sessions[0], 'booking-1', 'Europe/London');
    expect(event).toMatchObject({
      subject: 'Subject Leader Development Programme (session 1 of 3)',
      start: { dateTime: '2027-01-12T15:45:00', timeZone: 'UTC' },
      end: { dateTime: '2027-01-12T17:15:00', timeZone: 'UTC' },
      location: { displayName: 'Hall, Brookside Primary Academy' },
      showAs: 'busy',
      isReminderOn: true,
    });
    expect(event.body.content).toContain('When: Tue 12 Jan 2027, 15:45–17:15 (Europe/London)');
    expect(event.body.content).toContain('Where: Hall, Brookside Primary Academy');
    expect(event.body.content).toContain('One booking covers all 3 sessions');
    expect(event.body.content).toContain('my bookings');
  });

  it('puts the Teams meeting link in the body and location of an online session', () => {
    const phonics = details('phonics-jan');
    const event = calendarEventFor(phonics, phonics.sessions[0], 'booking-2', 'Europe/London');
    expect(event.subject).toBe('Leadership and Teaching of Phonics');
    expect(event.location).toEqual({ displayName: 'Microsoft Teams meeting', locationUri: MEETING });
    expect(event.body.content).toContain(`Join online (Microsoft Teams): ${MEETING}`);
    expect(event.body.content).not.toContain('covers all');
  });

  it('sends summer sessions in UTC, so a BST wall-clock time is one hour earlier on the wire', () => {
    const phonics = details('phonics-jan');
    const summer = { ...phonics.sessions[0], startsAt: new Date('2027-06-15T14:45:00Z'), endsAt: new Date('2027-06-15T16:15:00Z') };
    const event = calendarEventFor({ ...phonics, sessions: [summer] }, summer, 'b', 'Europe/London');
    expect(event.start.dateTime).toBe('2027-06-15T14:45:00');
    expect(event.body.content).toContain('15:45–17:15 (Europe/London)');
  });

  it('gives a stable transactionId per booking and session, different for every pair', () => {
    expect(calendarTransactionId('b1', 's1')).toBe(calendarTransactionId('b1', 's1'));
    const ids = new Set([calendarTransactionId('b1', 's1'), calendarTransactionId('b1', 's2'), calendarTransactionId('b2', 's1'), calendarTransactionId('b1s', '1')]);
    expect(ids.size).toBe(4);
    expect(calendarTransactionId('b1', 's1')).toMatch(/^devhub-[0-9a-f]{40}$/);
  });
});
