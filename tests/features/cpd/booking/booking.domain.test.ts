import { describe, expect, it } from 'vitest';
import {
  decideCancellation,
  decideNewBooking,
  describeBookingStatus,
  isMyBookingsRequest,
  placesToFill,
  type OfferingForBooking,
} from '../../../../src/features/cpd/booking/booking.domain.js';

const NOW = new Date('2026-11-23T10:00:00Z');
const offering = (overrides: Partial<OfferingForBooking> = {}): OfferingForBooking => ({
  id: 'phonics-jan',
  capacity: 2,
  bookingClosesAt: new Date('2027-01-10T12:00:00Z'),
  status: 'scheduled',
  courseActive: true,
  firstStartsAt: new Date('2027-01-12T15:45:00Z'),
  ...overrides,
});

describe('decideNewBooking', () => {
  it('confirms while a seat is free and waitlists once the confirmed count reaches capacity', () => {
    expect(decideNewBooking(offering(), 0, NOW)).toEqual({ ok: true, value: 'confirmed' });
    expect(decideNewBooking(offering(), 1, NOW)).toEqual({ ok: true, value: 'confirmed' });
    expect(decideNewBooking(offering(), 2, NOW)).toEqual({ ok: true, value: 'waitlisted' });
    expect(decideNewBooking(offering(), 7, NOW)).toEqual({ ok: true, value: 'waitlisted' });
  });

  it('refuses a cancelled offering or a withdrawn course', () => {
    expect(decideNewBooking(offering({ status: 'cancelled' }), 0, NOW)).toMatchObject({ ok: false, code: 'offering_cancelled' });
    expect(decideNewBooking(offering({ courseActive: false }), 0, NOW)).toMatchObject({ ok: false, code: 'offering_cancelled' });
  });

  it('refuses once the first session has started, even if booking would otherwise be open', () => {
    const started = offering({ firstStartsAt: NOW, bookingClosesAt: new Date('2027-01-01T00:00:00Z') });
    expect(decideNewBooking(started, 0, NOW)).toMatchObject({ ok: false, code: 'session_past' });
    expect(decideNewBooking(offering({ firstStartsAt: new Date('2026-11-01T09:00:00Z') }), 0, NOW)).toMatchObject({ code: 'session_past' });
  });

  it('refuses at and after booking_closes_at, and an offering with no dates', () => {
    expect(decideNewBooking(offering({ bookingClosesAt: NOW }), 0, NOW)).toMatchObject({ ok: false, code: 'booking_closed' });
    expect(decideNewBooking(offering({ bookingClosesAt: new Date(NOW.getTime() + 1) }), 0, NOW)).toMatchObject({ ok: true });
    expect(decideNewBooking(offering({ firstStartsAt: undefined }), 0, NOW)).toMatchObject({ ok: false, code: 'booking_closed' });
  });

  it('explains each refusal in a sentence', () => {
    for (const o of [offering({ status: 'cancelled' }), offering({ firstStartsAt: NOW }), offering({ bookingClosesAt: NOW })]) {
      const decision = decideNewBooking(o, 0, NOW);
      expect(decision.ok ? '' : decision.message).toMatch(/^[A-Z].+\.$/);
    }
  });
});

describe('decideCancellation', () => {
  const future = { firstStartsAt: new Date('2027-01-12T15:45:00Z') };

  it('cancels a confirmed or waitlisted place before the course starts', () => {
    expect(decideCancellation({ status: 'confirmed' }, 'cancel', future, NOW)).toEqual({ ok: true, value: { kind: 'cancel', was: 'confirmed' } });
    expect(decideCancellation({ status: 'waitlisted' }, 'cancel', future, NOW)).toEqual({ ok: true, value: { kind: 'cancel', was: 'waitlisted' } });
    expect(decideCancellation({ status: 'waitlisted' }, 'leave_waitlist', future, NOW)).toEqual({ ok: true, value: { kind: 'cancel', was: 'waitlisted' } });
  });

  it('answers a repeat with already_cancelled, whatever the time', () => {
    expect(decideCancellation({ status: 'cancelled' }, 'cancel', { firstStartsAt: NOW }, NOW)).toEqual({ ok: true, value: { kind: 'already_cancelled' } });
  });

  it('never gives up a confirmed seat for a "Leave waitlist" press', () => {
    expect(decideCancellation({ status: 'confirmed' }, 'leave_waitlist', future, NOW)).toEqual({ ok: true, value: { kind: 'promoted_meanwhile' } });
  });

  it('refuses once the course has started', () => {
    expect(decideCancellation({ status: 'confirmed' }, 'cancel', { firstStartsAt: NOW }, NOW)).toMatchObject({ ok: false, code: 'session_past' });
  });
});

describe('placesToFill and status text', () => {
  it('fills every free seat but never more than are waiting', () => {
    expect(placesToFill(2, 1, 5)).toBe(1);
    expect(placesToFill(5, 1, 2)).toBe(2);
    expect(placesToFill(2, 2, 5)).toBe(0);
    expect(placesToFill(2, 3, 5)).toBe(0);
  });

  it('says Booked ✓ and Waitlisted #n', () => {
    expect(describeBookingStatus('confirmed', null)).toBe('Booked ✓');
    expect(describeBookingStatus('waitlisted', 3)).toBe('Waitlisted #3');
    expect(describeBookingStatus('cancelled', null)).toBe('Cancelled');
  });
});

describe('isMyBookingsRequest', () => {
  it.each(['my bookings', 'My Bookings', 'my booking', 'show my bookings', 'show me my bookings please', 'my cpd bookings?', 'what have I booked?', "what've i booked", 'my waitlist places', '  my   bookings  '])(
    'recognises "%s"',
    (text) => expect(isMyBookingsRequest(text)).toBe(true),
  );

  // "Cancel my booking…" answers with the list and its Cancel buttons: the person picks which place there.
  it.each(['cancel my booking', 'cancel my booking on the SEND day', "I can't make my course next week", 'leave the waitlist'])(
    'reads "%s" as a request for my bookings (with Cancel)',
    (text) => expect(isMyBookingsRequest(text)).toBe(true),
  );

  it.each(['bookings', 'book phonics', 'my bookings for phonics next month are wrong', 'cancel', 'change of plan for the SEND day', 'any phonics training?', ''])(
    'leaves "%s" to other routes',
    (text) => expect(isMyBookingsRequest(text)).toBe(false),
  );
});
