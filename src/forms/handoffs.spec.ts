import { describe, expect, it } from '@jest/globals';
import type { DossierEventView } from '../dossiers/dto/dossier.dto.js';
import { handoffs, placeName } from './forms.service.js';

let seq = 0;
const ev = (type: string, at: string, actorId: string | null, data: Record<string, unknown> = {}): DossierEventView => ({
  seq: ++seq,
  type,
  at,
  actorKind: 'user',
  actorId,
  data,
  prevHash: '',
  hash: '',
});

describe('process control sheet rows', () => {
  it('pairs each hand-off with the step clock it started, and judges the step when the next hand-off comes', () => {
    const events = [
      ev('SUBMITTED', '2026-11-23T01:00:00Z', 'citizen'),
      ev('CLOCK_STARTED', '2026-11-23T02:00:00Z', 'r', { kind: 'OVERALL', state: 'RUNNING', newDueAt: '2026-11-30T10:00:00Z' }),
      ev('CLOCK_STARTED', '2026-11-23T02:00:00Z', 'r', { kind: 'STEP', state: 'RUNNING', newDueAt: '2026-11-23T06:00:00Z' }),
      ev('ACCEPT', '2026-11-23T02:00:00Z', 'r'),
      ev('CLOCK_STOPPED', '2026-11-23T05:00:00Z', 'r', { kind: 'STEP', state: 'STOPPED', newDueAt: '2026-11-23T06:00:00Z' }),
      ev('CLOCK_STARTED', '2026-11-23T05:00:00Z', 'r', { kind: 'STEP', state: 'RUNNING', newDueAt: '2026-11-25T10:00:00Z' }),
      ev('ASSIGN', '2026-11-23T05:00:00Z', 'r', { assigneeId: 's' }),
      ev('CLOCK_STARTED', '2026-11-26T02:00:00Z', 's', { kind: 'STEP', state: 'RUNNING', newDueAt: '2026-11-26T06:00:00Z' }),
      ev('FORWARD', '2026-11-26T02:00:00Z', 's', { assigneeId: 'l' }),
    ];
    const rows = handoffs(
      events,
      new Map([
        ['r', 'Lê Thị Thu'],
        ['s', 'Trần Văn Minh'],
        ['l', 'Phạm Quốc Hùng'],
      ]),
    );
    expect(rows.map((r) => [r.from, r.to, r.dueAt?.toISOString(), r.result])).toEqual([
      ['Người nộp hồ sơ', 'Lê Thị Thu', '2026-11-23T06:00:00.000Z', 'ON_TIME'],
      ['Lê Thị Thu', 'Trần Văn Minh', '2026-11-25T10:00:00.000Z', 'LATE'],
      ['Trần Văn Minh', 'Phạm Quốc Hùng', '2026-11-26T06:00:00.000Z', undefined],
    ]);
  });

  it('names the province without its committee prefix', () => {
    expect(placeName('Ủy ban nhân dân tỉnh Thanh Hóa')).toBe('Thanh Hóa');
    expect(placeName('UBND thành phố Hải Phòng')).toBe('Hải Phòng');
  });
});
