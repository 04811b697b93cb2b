import { describe, expect, it } from '@jest/globals';
import { countFacts, deriveFact, effectiveDueDay, endOf, indicatorRows, roleIn, type DossierFact, type DossierRaw } from './indicator-rules.js';

// Instants in Vietnam time (UTC+7).
const vn = (s: string) => new Date(`${s}+07:00`);

const raw = (over: Partial<DossierRaw> = {}): DossierRaw => ({
  id: 'd',
  receivingAgencyCode: 'A',
  procedureCode: 'P',
  field: 'F',
  channel: 'ONLINE',
  status: 'IN_PROGRESS',
  submittedAt: vn('2026-10-01T08:00:00'),
  receivedAt: vn('2026-10-01T09:00:00'),
  resolvedAt: null,
  returnedAt: null,
  closedAt: null,
  timeliness: null,
  rescheduled: false,
  outcome: null,
  digitised: false,
  reused: false,
  electronicResult: false,
  clock: { dueAt: vn('2026-10-08T17:00:00'), state: 'RUNNING', pausedAt: null },
  supplementRequestedAt: [],
  feeBearing: false,
  paidOnline: false,
  synced: false,
  complaint: false,
  rating: null,
  ...over,
});
const fact = (over: Partial<DossierRaw> = {}): DossierFact => deriveFact(raw(over));
const Q4 = ['2026-10-01', '2026-12-31'] as const;

describe('2.1: supplement time is left out of the deadline', () => {
  it('judges against the clock due date, which the pause moved (paused 10 days, due 8/10 → 18/10; resolved 15/10 is EARLY)', () => {
    // The deadlines module pauses the OVERALL clock while the citizen supplements and moves dueAt on resume.
    const f = fact({
      status: 'RESOLVED',
      resolvedAt: vn('2026-10-15T10:00:00'),
      timeliness: 'EARLY',
      supplementRequestedAt: [vn('2026-10-02T10:00:00')],
      clock: { dueAt: vn('2026-10-18T17:00:00'), state: 'STOPPED', pausedAt: null },
    });
    expect(f.timeliness).toBe('EARLY');
    expect(roleIn(f, ...Q4).finished).toBe('EARLY');
  });
  it('a clock paused before it fell due has no due date while paused: never overdue at the period end', () => {
    const clock = { dueAt: vn('2026-10-08T17:00:00'), state: 'PAUSED' as const, pausedAt: vn('2026-10-05T10:00:00') };
    expect(effectiveDueDay(clock)).toBeNull();
    expect(roleIn(fact({ status: 'SUPPLEMENT_REQUESTED', clock, supplementRequestedAt: [vn('2026-10-05T10:00:00')] }), ...Q4).inProgress).toBe('ON_TIME');
  });
  it('a clock paused after it fell due stays overdue', () => {
    const clock = { dueAt: vn('2026-10-08T17:00:00'), state: 'PAUSED' as const, pausedAt: vn('2026-10-09T10:00:00') };
    expect(effectiveDueDay(clock)).toBe('2026-10-08');
    expect(roleIn(fact({ clock }), ...Q4).inProgress).toBe('OVERDUE');
  });
  it('without the fixed status-9 timeliness, the end date is compared with the due date by Vietnam date', () => {
    // Withdrawn on 8/10 at 23:30 Vietnam time (16:30 UTC): the due date itself, ON_TIME.
    const f = fact({ status: 'WITHDRAWN', closedAt: new Date('2026-10-08T16:30:00Z') });
    expect(f.finishedDay).toBe('2026-10-08');
    expect(f.timeliness).toBe('ON_TIME');
  });
});

describe('2.1: more than one supplement request counts as late', () => {
  it('one round: timeliness as fixed (EARLY); two rounds: LATE although resolved before the due date', () => {
    const one = fact({ status: 'RESOLVED', resolvedAt: vn('2026-10-05T10:00:00'), timeliness: 'EARLY', supplementRequestedAt: [vn('2026-10-02T10:00:00')] });
    const two = fact({
      status: 'RESOLVED',
      resolvedAt: vn('2026-10-05T10:00:00'),
      timeliness: 'EARLY',
      supplementRequestedAt: [vn('2026-10-02T10:00:00'), vn('2026-10-03T10:00:00')],
    });
    expect(one.timeliness).toBe('EARLY');
    expect(two.timeliness).toBe('LATE');
  });
  it('an unfinished dossier with two rounds is overdue at the period end though its due date is ahead', () => {
    const f = fact({
      clock: { dueAt: vn('2027-01-20T17:00:00'), state: 'RUNNING', pausedAt: null },
      supplementRequestedAt: [vn('2026-10-02T10:00:00'), vn('2026-11-02T10:00:00')],
    });
    expect(roleIn(f, ...Q4)).toMatchObject({ inProgress: 'OVERDUE', supplementRounds: 2 });
  });
  it('a re-appointment (form 04) still counts as late', () => {
    expect(fact({ status: 'RESOLVED', resolvedAt: vn('2026-10-05T10:00:00'), timeliness: 'EARLY', rescheduled: true }).timeliness).toBe('LATE');
  });
});

describe('2.1: unfinished ones are judged at the period’s last day', () => {
  const open = fact({ clock: { dueAt: vn('2026-11-10T17:00:00'), state: 'RUNNING', pausedAt: null } });
  it('October: due 10/11 has not passed on 31/10: in progress on time', () => {
    expect(roleIn(open, '2026-10-01', '2026-10-31').inProgress).toBe('ON_TIME');
  });
  it('November 1–10: due on the last day itself is not yet passed', () => {
    expect(roleIn(open, '2026-11-01', '2026-11-10').inProgress).toBe('ON_TIME');
  });
  it('November: on 30/11 the due date has passed: overdue (carried over from October)', () => {
    expect(roleIn(open, '2026-11-01', '2026-11-30')).toMatchObject({ received: false, processed: true, inProgress: 'OVERDUE' });
  });
  it('a dossier finished after the period is unfinished in it', () => {
    const f = fact({
      status: 'RESOLVED',
      resolvedAt: vn('2026-11-05T10:00:00'),
      timeliness: 'EARLY',
      clock: { dueAt: vn('2026-11-10T17:00:00'), state: 'STOPPED', pausedAt: null },
    });
    expect(roleIn(f, '2026-10-01', '2026-10-31')).toMatchObject({ finished: null, inProgress: 'ON_TIME' });
    expect(roleIn(f, '2026-11-01', '2026-11-30')).toMatchObject({ finished: 'EARLY', inProgress: null, received: false });
  });
  it('a dossier finished before the period is not in it', () => {
    const f = fact({ status: 'RESOLVED', resolvedAt: vn('2026-10-05T10:00:00'), timeliness: 'EARLY' });
    expect(roleIn(f, '2026-11-01', '2026-11-30').processed).toBe(false);
  });
});

describe('2.1: withdrawn ones are counted', () => {
  it('a withdrawal before the due date is EARLY, after it LATE, and each counts in the denominator', () => {
    const early = fact({ id: 'w1', status: 'WITHDRAWN', closedAt: vn('2026-10-03T10:00:00') });
    const late = fact({ id: 'w2', status: 'WITHDRAWN', closedAt: vn('2026-10-12T10:00:00') });
    const { counts, extras } = countFacts([early, late], ...Q4);
    expect(counts).toMatchObject({ processed: 2, withdrawn: 2, finished: { total: 2, early: 1, onTime: 0, late: 1 } });
    expect(indicatorRows(counts, extras, { total: 0, fullOnline: 0, partialOnline: 0 }).find((r) => r.code === '2.1')).toMatchObject({
      numerator: 1,
      denominator: 2,
      rate: 0.5,
    });
  });
});

describe('2.1: the end is the RESOLVED time, else RETURNED, else stopped/refused', () => {
  it('resolved and returned later: the end is the resolution', () => {
    expect(endOf({ status: 'RETURNED', resolvedAt: vn('2026-10-05T10:00:00'), returnedAt: vn('2026-10-20T10:00:00'), closedAt: null })).toEqual({
      kind: 'RETURNED',
      at: vn('2026-10-05T10:00:00'),
    });
  });
  it('returned without a resolution time (legacy import): the return', () => {
    expect(endOf({ status: 'RETURNED', resolvedAt: null, returnedAt: vn('2026-10-20T10:00:00'), closedAt: null })?.at).toEqual(vn('2026-10-20T10:00:00'));
  });
  it('stopped and refused: when that happened; open: none', () => {
    expect(endOf({ status: 'STOPPED', resolvedAt: null, returnedAt: null, closedAt: vn('2026-10-09T10:00:00') })?.kind).toBe('STOPPED');
    expect(endOf({ status: 'REFUSED', resolvedAt: null, returnedAt: null, closedAt: vn('2026-10-01T10:00:00') })?.kind).toBe('REFUSED');
    expect(endOf({ status: 'IN_PROGRESS', resolvedAt: null, returnedAt: null, closedAt: null })).toBeNull();
  });
  it('a refusal at reception has no due date: on time', () => {
    expect(fact({ status: 'REFUSED', receivedAt: null, clock: null, closedAt: vn('2026-10-01T10:00:00') }).timeliness).toBe('ON_TIME');
  });
});

describe('the indicator table, worked numbers', () => {
  // 10 dossiers received in Q4/2026 at one commune + 2 carried over from September.
  const facts: DossierFact[] = [
    // 6 online, resolved early and returned with an electronic result, synced; 2 of them reused, 3 fee-bearing (2 paid online).
    ...Array.from({ length: 6 }, (_, i) =>
      fact({
        id: `on${i}`,
        status: 'RETURNED',
        resolvedAt: vn('2026-10-05T10:00:00'),
        returnedAt: vn('2026-10-06T10:00:00'),
        timeliness: 'EARLY',
        outcome: 'GRANTED',
        electronicResult: true,
        synced: true,
        reused: i < 2,
        feeBearing: i < 3,
        paidOnline: i < 2,
        rating: i === 0 ? 'NOT_SATISFIED' : i === 1 ? 'VERY_SATISFIED' : null,
      }),
    ),
    // 2 at the counter, scanned, resolved late, returned on paper (no electronic result), synced; one with a complaint.
    ...Array.from({ length: 2 }, (_, i) =>
      fact({
        id: `c${i}`,
        channel: 'COUNTER',
        digitised: true,
        status: 'RETURNED',
        resolvedAt: vn('2026-10-20T10:00:00'),
        returnedAt: vn('2026-10-21T10:00:00'),
        timeliness: 'LATE',
        outcome: 'GRANTED',
        synced: true,
        complaint: i === 0,
      }),
    ),
    // 1 by post, still open, due 20/12: on time at 31/12? No: due before the last day → overdue.
    fact({ id: 'p', channel: 'POSTAL', clock: { dueAt: vn('2026-12-20T17:00:00'), state: 'RUNNING', pausedAt: null } }),
    // 1 online refused at reception (never accepted), not synced.
    fact({ id: 'r', status: 'REFUSED', receivedAt: null, submittedAt: vn('2026-11-02T08:00:00'), clock: null, closedAt: vn('2026-11-02T15:00:00') }),
    // Carried over: received in September, one resolved on time in October, one still open due in January.
    fact({ id: 's1', receivedAt: vn('2026-09-25T09:00:00'), status: 'RESOLVED', resolvedAt: vn('2026-10-02T10:00:00'), timeliness: 'ON_TIME' }),
    fact({ id: 's2', receivedAt: vn('2026-09-28T09:00:00'), clock: { dueAt: vn('2027-01-05T17:00:00'), state: 'RUNNING', pausedAt: null } }),
  ];
  const { counts, extras } = countFacts(facts, ...Q4);
  const rows = Object.fromEntries(indicatorRows(counts, extras, { total: 10, fullOnline: 3, partialOnline: 5 }).map((r) => [r.code, r]));

  it('counts', () => {
    expect(counts.received).toEqual({ total: 10, online: 7, counter: 2, postal: 1 });
    expect(counts.processed).toBe(12);
    expect(counts.finished).toEqual({ total: 10, early: 6, onTime: 2, late: 2 });
    expect(counts.inProgress).toEqual({ total: 2, onTime: 1, overdue: 1 });
    expect(counts).toMatchObject({ refused: 1, synced: 8, reused: 2, electronicResult: 6, paidOnline: 2, digitised: 9, complaints: 1 });
    expect(counts.ratings).toEqual({ total: 2, verySatisfied: 1, satisfied: 0, notSatisfied: 1 });
  });
  it('1.4 sync = 8/10', () => expect(rows['1.4']).toMatchObject({ numerator: 8, denominator: 10, rate: 0.8 }));
  it('2.1 on time = (6 early + 1 refused on time + 1 carried over on time + 1 open in time) / 12', () =>
    expect(rows['2.1']).toMatchObject({ numerator: 9, denominator: 12, rate: 0.75 }));
  it('3.1 procedures online = 8/10, full marks at 80 %', () =>
    expect(rows['3.1']).toMatchObject({ numerator: 8, denominator: 10, rate: 0.8, fullMarksAt: 0.8 }));
  it('3.3 online = 7/10 × 0.8 = 0.56', () => {
    expect(rows['3.3']).toMatchObject({ numerator: 7, denominator: 10 });
    expect(rows['3.3'].rate).toBeCloseTo(0.56, 10);
  });
  it('3.6 paid online = 2 of 3 fee-bearing', () => expect(rows['3.6']).toMatchObject({ numerator: 2, denominator: 3 }));
  it('4.1 electronic results = 6 of 8 written results returned', () => expect(rows['4.1']).toMatchObject({ numerator: 6, denominator: 8, rate: 0.75 }));
  it('4.2 digitised with an electronic result = 6/10', () => expect(rows['4.2']).toMatchObject({ numerator: 6, denominator: 10, rate: 0.6 }));
  it('4.3 reuse = 2/10', () => expect(rows['4.3']).toMatchObject({ numerator: 2, denominator: 10, rate: 0.2 }));
  it('5.4 = 1 − (3 overdue/12 + 2 complained or not satisfied/10) = 0.55', () => {
    expect(rows['5.4']).toMatchObject({ numerator: 5, denominator: 12, fullMarksAt: 0.9 });
    expect(rows['5.4'].rate).toBeCloseTo(0.55, 10);
  });
  it('an empty period has null rates, not zero', () => {
    const e = countFacts([], ...Q4);
    expect(indicatorRows(e.counts, e.extras, { total: 0, fullOnline: 0, partialOnline: 0 }).every((r) => r.rate === null)).toBe(true);
  });
});
