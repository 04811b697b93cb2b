import { describe, expect, it } from '@jest/globals';
import { deadlineJobId, nextFiring, scheduleIntent } from './deadline-jobs.js';

const soon = new Date('2026-11-27T03:00:00Z');
const due = new Date('2026-11-30T10:00:00Z');

describe('deadline jobs', () => {
  it('names jobs deterministically without the ":" BullMQ 6.7 refuses in custom ids', () => {
    const id = deadlineJobId('5f1c2a9e-8a1b-4c6d-9e2f-0a1b2c3d4e5f', 'OVERDUE', 3);
    expect(id).toBe('deadline.5f1c2a9e-8a1b-4c6d-9e2f-0a1b2c3d4e5f.due.v3');
    expect(id).not.toContain(':');
    expect(deadlineJobId('5f1c2a9e-8a1b-4c6d-9e2f-0a1b2c3d4e5f', 'DUE_SOON', 3)).not.toBe(id);
  });

  it('waits for one firing at a time: the warning, then the due instant, then nothing', () => {
    expect(nextFiring({ state: 'RUNNING', status: 'ON_TRACK', dueSoonAt: soon, dueAt: due })).toEqual({ kind: 'DUE_SOON', at: soon });
    expect(nextFiring({ state: 'RUNNING', status: 'DUE_SOON', dueSoonAt: soon, dueAt: due })).toEqual({ kind: 'OVERDUE', at: due });
    expect(nextFiring({ state: 'RUNNING', status: 'OVERDUE', dueSoonAt: soon, dueAt: due })).toBeNull();
    expect(nextFiring({ state: 'PAUSED', status: 'ON_TRACK', dueSoonAt: soon, dueAt: due })).toBeNull();
    expect(nextFiring({ state: 'STOPPED', status: 'DUE_SOON', dueSoonAt: soon, dueAt: due })).toBeNull();
  });

  it('writes the intent of a schedule with the previous job to cancel', () => {
    const c = { id: 'c1', dossierId: 'd1', version: 2, state: 'RUNNING' as const, status: 'ON_TRACK' as const, dueSoonAt: soon, dueAt: due };
    expect(scheduleIntent(c, ['old'])).toEqual({
      clockId: 'c1',
      dossierId: 'd1',
      version: 2,
      firings: [{ kind: 'DUE_SOON', at: soon.toISOString() }],
      cancel: ['old'],
    });
    expect(scheduleIntent({ ...c, state: 'PAUSED' }).firings).toEqual([]);
  });
});
