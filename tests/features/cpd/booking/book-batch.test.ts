import { afterEach, expect, it } from 'vitest';
import { BOOK_BATCH_MAX, BookingBatcher, type BatchPresses } from '../../../../src/features/cpd/booking/booking.statement.js';
import { fixedClock } from '../../../../src/shared/clock.js';
import { StatementLog } from '../../../support/statement-log.js';
import { describeOnEachDatabase, type TestDb } from '../../../support/test-db.js';
import { TODAY, loadBookingCatalogue, writtenRows } from './booking-fixtures.js';

/**
 * BookingBatcher: presses that arrive in the same turn of the event loop share one cpd_book_batch()
 * statement. The property test in book-function.test.ts checks the batch decides what one press after
 * another would; this checks the batcher's own promises: how many statements, what happens when a
 * batch fails, and that a press never waits for a turn of the event loop that has nothing to send.
 */
describeOnEachDatabase('the booking batcher on $kind', ({ open }) => {
  let handle: TestDb | undefined;
  afterEach(async () => {
    await handle?.close();
    handle = undefined;
  });

  async function setup(ids: () => string, together: BatchPresses = 'any') {
    handle = await open();
    await loadBookingCatalogue(handle.db, fixedClock(TODAY));
    const log = new StatementLog();
    const db = handle.db.withPlugin(log);
    return { db, log, batcher: new BookingBatcher(db, { newId: ids }, together) };
  }
  const press = (n: number, offeringId = 'crowd-30') => ({ offeringId, personAadId: `person-${n}`, personName: `Person ${n}`, personEmail: null, personTeamsId: null });
  const bookStatements = (log: StatementLog) => log.texts.filter((t) => /\bcpd_book(_batch)?\(/.test(t)).map((t) => (t.includes('cpd_book_batch') ? 'batch' : 'one'));

  it(`sends ${BOOK_BATCH_MAX + 6} presses at once as two batches, seated in the order they were pressed`, async () => {
    let n = 0;
    const { db, log, batcher } = await setup(() => `id-${String((n += 1)).padStart(3, '0')}`);
    const count = BOOK_BATCH_MAX + 6;
    const done = await Promise.all(Array.from({ length: count }, (_, i) => batcher.book(new Date(TODAY), press(i + 1), undefined)));
    expect(bookStatements(log)).toEqual(['batch', 'batch']);
    expect(done.slice(0, 30).every((d) => d.outcome === 'confirmed')).toBe(true);
    expect(done.slice(30).map((d) => (d.outcome === 'waitlisted' ? d.position : d.outcome))).toEqual(Array.from({ length: count - 30 }, (_, i) => i + 1));
    const rows = await db.selectFrom('cpd_booking').select(['person_aad_id', 'status']).orderBy('arrival_seq').execute();
    expect(rows.map((r) => r.person_aad_id)).toEqual(Array.from({ length: count }, (_, i) => `person-${i + 1}`));
  });

  it('books a lone press in the single statement, with no batch around it', async () => {
    let n = 0;
    const { log, batcher } = await setup(() => `lone-${(n += 1)}`);
    const first = await batcher.book(new Date(TODAY), press(1), undefined);
    const second = await batcher.book(new Date(TODAY), press(2), undefined);
    expect([first.outcome, second.outcome]).toEqual(['confirmed', 'confirmed']);
    expect(bookStatements(log)).toEqual(['one', 'one']);
  });

  it('when a batch fails, books each of its presses alone, so only the press at fault gets the error and nothing is half-written', async () => {
    // The second press is handed the first one's booking id: its insert breaks the batch's transaction.
    const handed = ['dup-1', 'dup-1', 'dup-3', 'dup-4'];
    const { db, log, batcher } = await setup(() => handed.shift() ?? 'spare');
    const settled = await Promise.allSettled([1, 2, 3, 4].map((n) => batcher.book(new Date(TODAY), press(n, 'phonics-jan'), undefined)));
    expect(bookStatements(log)).toEqual(['batch', 'one', 'one', 'one', 'one']);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    const outcomes = settled.map((s) => (s.status === 'fulfilled' ? (s.value).outcome : (s.reason as { code?: string }).code));
    // phonics-jan has two seats: the first press and the third hold them, the fourth waits.
    expect(outcomes).toEqual(['confirmed', '23505', 'confirmed', 'waitlisted']);
    expect(await writtenRows(db)).toEqual({ bookings: 3, audit: 3, jobs: 0 });
  });

  it('answers an unknown offering in a batch without failing the presses beside it', async () => {
    let n = 0;
    const { batcher } = await setup(() => `mixed-${(n += 1)}`);
    const done = await Promise.all([batcher.book(new Date(TODAY), press(1), undefined), batcher.book(new Date(TODAY), press(2, 'no-such-offering'), undefined), batcher.book(new Date(TODAY), press(1), undefined)]);
    expect(done.map((d) => d.outcome)).toEqual(['confirmed', 'offering_not_found', 'already_booked']);
  });

  it('on same_offering, batches each offering\'s presses apart, and keeps no lane once they are booked', async () => {
    let n = 0;
    const { log, batcher } = await setup(() => `lane-${(n += 1)}`, 'same_offering');
    const done = await Promise.all([1, 2, 3, 4, 5, 6].map((i) => batcher.book(new Date(TODAY), press(i, i % 2 === 0 ? 'crowd-30' : 'slp-spring'), undefined)));
    expect(bookStatements(log)).toEqual(['batch', 'batch']);
    expect(done.map((d) => d.outcome)).toEqual(['confirmed', 'confirmed', 'confirmed', 'confirmed', 'confirmed', 'confirmed']);
    // The lanes go once their last batch has finished (just after its presses were answered).
    await new Promise((resolve) => setImmediate(resolve));
    expect(batcher.activeLanes).toBe(0);
    // The same presses on 'any' share one statement.
    log.clear();
    const any = new BookingBatcher(handle!.db.withPlugin(log), { newId: () => `any-${(n += 1)}` }, 'any');
    await Promise.all([7, 8, 9, 10].map((i) => any.book(new Date(TODAY), press(i, i % 2 === 0 ? 'crowd-30' : 'phonics-jan'), undefined)));
    expect(bookStatements(log)).toEqual(['batch']);
  });
});
