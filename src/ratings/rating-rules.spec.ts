import { describe, expect, it } from '@jest/globals';
import { SATISFACTION_INDICATORS } from './indicators.js';
import { bandOf, checkScores, correctableUntil, normalisedScores, stepOfficers, totalScore } from './rating-rules.js';

/** Scores "1".."9" from a list of 9 points. */
const scores = (points: number[]) => Object.fromEntries(points.map((p, i) => [String(i + 1), p]));

describe('satisfaction scoring (Circular 01/2018: 9 indicators, 0–2 each)', () => {
  it('sums the 9 indicators, worked', () => {
    expect(totalScore(scores([2, 2, 2, 2, 2, 2, 2, 2, 2]))).toBe(18);
    expect(totalScore(scores([0, 0, 0, 0, 0, 0, 0, 0, 0]))).toBe(0);
    expect(totalScore(scores([2, 1, 0, 2, 1, 0, 2, 1, 0]))).toBe(9);
    expect(totalScore(scores([2, 2, 2, 2, 2, 2, 2, 1, 0]))).toBe(15);
  });

  it('bands the total at 15, 12, 9 and 6 (each boundary belongs to the band above)', () => {
    const cases: Array<[number, string]> = [
      [18, 'EXCELLENT'],
      [15, 'EXCELLENT'],
      [14, 'GOOD'],
      [12, 'GOOD'],
      [11, 'FAIR'],
      [9, 'FAIR'],
      [8, 'AVERAGE'],
      [6, 'AVERAGE'],
      [5, 'WEAK'],
      [0, 'WEAK'],
    ];
    for (const [total, band] of cases) expect({ total, band: bandOf(total) }).toEqual({ total, band });
  });

  it('bands whole ratings, worked: 2+2+2+2+2+2+2+1+0 = 15 is excellent, one point less is good', () => {
    expect(bandOf(totalScore(scores([2, 2, 2, 2, 2, 2, 2, 1, 0])))).toBe('EXCELLENT');
    expect(bandOf(totalScore(scores([2, 2, 2, 2, 2, 2, 1, 1, 0])))).toBe('GOOD'); // 14
    expect(bandOf(totalScore(scores([2, 2, 2, 2, 2, 1, 1, 0, 0])))).toBe('GOOD'); // 12
    expect(bandOf(totalScore(scores([2, 2, 2, 2, 1, 1, 1, 0, 0])))).toBe('FAIR'); // 11
    expect(bandOf(totalScore(scores([1, 1, 1, 1, 1, 1, 1, 1, 1])))).toBe('FAIR'); // 9
    expect(bandOf(totalScore(scores([1, 1, 1, 1, 1, 1, 1, 1, 0])))).toBe('AVERAGE'); // 8
    expect(bandOf(totalScore(scores([1, 1, 1, 1, 1, 1, 0, 0, 0])))).toBe('AVERAGE'); // 6
    expect(bandOf(totalScore(scores([1, 1, 1, 1, 1, 0, 0, 0, 0])))).toBe('WEAK'); // 5
  });

  it('accepts exactly the 9 codes with integers 0–2, and stores them in order', () => {
    expect(checkScores(scores([2, 1, 0, 2, 1, 0, 2, 1, 0]))).toEqual([]);
    const shuffled = { 9: 0, 1: 2, 5: 1, 2: 1, 3: 0, 4: 2, 6: 0, 7: 2, 8: 1 };
    expect(Object.keys(normalisedScores(shuffled))).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9']);
  });

  it('names each wrong field: missing, out of range, not an integer, extra, not an object', () => {
    const missing = scores([2, 2, 2, 2, 2, 2, 2, 2]);
    expect(checkScores(missing)).toEqual([{ field: 'scores.9', message: expect.stringContaining('missing') }]);
    expect(checkScores({ ...scores([2, 2, 2, 2, 2, 2, 2, 2, 2]), 3: 3 }).map((d) => d.field)).toEqual(['scores.3']);
    expect(checkScores({ ...scores([2, 2, 2, 2, 2, 2, 2, 2, 2]), 4: -1 }).map((d) => d.field)).toEqual(['scores.4']);
    expect(checkScores({ ...scores([2, 2, 2, 2, 2, 2, 2, 2, 2]), 5: 1.5 }).map((d) => d.field)).toEqual(['scores.5']);
    expect(checkScores({ ...scores([2, 2, 2, 2, 2, 2, 2, 2, 2]), 6: '2' }).map((d) => d.field)).toEqual(['scores.6']);
    expect(checkScores({ ...scores([2, 2, 2, 2, 2, 2, 2, 2, 2]), 10: 1 }).map((d) => d.field)).toEqual(['scores.10']);
    for (const bad of [null, undefined, [], 'x', 5]) expect(checkScores(bad).map((d) => d.field)).toEqual(['scores']);
    const many = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`k${i}`, 1]));
    expect(checkScores({ ...scores([2, 2, 2, 2, 2, 2, 2, 2, 2]), ...many }).length).toBe(11);
  });

  it('keeps the indicator list in one place: codes 1..9, the unnamed ones marked as placeholders', () => {
    expect(SATISFACTION_INDICATORS.map((i) => i.code)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(SATISFACTION_INDICATORS.filter((i) => i.labelSource === 'PLACEHOLDER').map((i) => i.code)).toEqual(['5', '6', '7', '8', '9']);
    for (const i of SATISFACTION_INDICATORS.filter((x) => x.labelSource === 'PLACEHOLDER')) expect(i.labelEn).toMatch(/placeholder/);
  });

  it('allows corrections for 7 days after the rating', () => {
    expect(correctableUntil(new Date('2026-12-03T10:00:00Z')).toISOString()).toBe('2026-12-10T10:00:00.000Z');
  });
});

describe('the officers of each step, from the history', () => {
  const ev = (type: string, actorId: string | null, data: Record<string, unknown> = {}, actorKind = 'user') => ({ type, actorKind, actorId, data });

  it('ties acceptance, each processed step, approval, signing and return to who did them', () => {
    const events = [
      ev('SUBMITTED', 'citizen'),
      ev('CLOCK_STARTED', 'r', { kind: 'STEP', step: 'ignored' }),
      ev('ACCEPT', 'r', { step: 'B1' }),
      ev('ASSIGN', 'r', { step: 'B2', assigneeId: null }),
      ev('CLAIM', 's', { assigneeId: 's' }),
      ev('REQUEST_SUPPLEMENT', 's', { items: [] }),
      ev('SUPPLEMENT', 'citizen', {}),
      ev('FORWARD', 's', { step: 'B3', assigneeId: 'l' }),
      ev('SEND_BACK', 'l', { step: 'B2', assigneeId: 's2' }),
      ev('FORWARD', 's2', { step: 'B3', assigneeId: 'l' }),
      ev('APPROVE', 'l', { outcome: 'GRANTED' }),
      ev('RESULT_SIGNING_FAILED', null, {}, 'system'),
      ev('RESULT_SIGNED', 'l', { signedFileId: 'f' }),
      ev('RETURN', 'r2', { method: 'ONLINE' }),
      ev('RATED', 'citizen', {}),
    ];
    expect(stepOfficers(events)).toEqual([
      { role: 'ACCEPTED', step: 'B1', userId: 'r' },
      { role: 'PROCESSED', step: 'B1', userId: 'r' },
      { role: 'PROCESSED', step: 'B2', userId: 's' },
      { role: 'PROCESSED', step: 'B3', userId: 'l' },
      { role: 'PROCESSED', step: 'B2', userId: 's2' },
      { role: 'APPROVED', step: 'B3', userId: 'l' },
      { role: 'SIGNED', step: 'B3', userId: 'l' },
      { role: 'RETURNED', step: 'RETURN', userId: 'r2' },
    ]);
  });

  it('leaves out system and API-key actors and repeats nobody', () => {
    const events = [
      ev('ACCEPT', 'r', { step: 'B1' }),
      ev('ASSIGN', 'r', { step: 'B2' }),
      ev('SEND_BACK', 'x', { step: 'B1' }, 'api-key'),
      ev('ASSIGN', 'r', { step: 'B2' }),
      ev('APPROVE', 'l', {}),
      ev('RETURN', null, {}, 'system'),
    ];
    expect(stepOfficers(events)).toEqual([
      { role: 'ACCEPTED', step: 'B1', userId: 'r' },
      { role: 'PROCESSED', step: 'B1', userId: 'r' },
      { role: 'APPROVED', step: 'B2', userId: 'l' },
    ]);
  });
});
