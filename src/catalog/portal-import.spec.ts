import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import type { Duration } from './catalog.types.js';
import { processBudgetOverrun } from './process-budget.js';
import { procedureFromPortal, standardProcess, type PortalProcedure } from './portal-import.js';

const records = JSON.parse(readFileSync(new URL('../../data/procedures.json', import.meta.url), 'utf8')) as PortalProcedure[];
const record = (code: string) => records.find((r) => r.code === code)!;

describe('importing national-portal records', () => {
  it('maps birth registration 1.001193 with codes, required flags and a process', () => {
    const r = procedureFromPortal(record('1.001193'));
    if (!r.ok) throw new Error(r.reason);
    expect(r.input).toMatchObject({
      code: '1.001193',
      serviceLevel: 'PARTIAL_ONLINE',
      agencyLevels: ['COMMUNE'],
      timeLimit: { value: 1, unit: 'WORKING_DAYS' },
      field: 'Hộ tịch',
    });
    expect(r.input.components!.map((c) => c.code)).toEqual(['TP01', 'TP02', 'TP03', 'TP04', 'TP05', 'TP06', 'TP07', 'TP08']);
    expect(r.input.components!.filter((c) => c.required).map((c) => c.name.slice(0, 20))).toEqual([
      'Giấy chứng sinh; trư',
      'Hộ chiếu/Thẻ căn cướ',
      'Mẫu hộ tịch điện tử ',
    ]);
    expect(r.input.steps.map((s) => s.role)).toEqual(['RECEPTION_OFFICER', 'SPECIALIST', 'LEADER']);
  });

  it('skips what cannot be filed online or has no time limit, saying why', () => {
    const outcome = (code: string) => {
      const r = procedureFromPortal(record(code));
      return r.ok ? 'loaded' : r.reason;
    };
    expect(outcome('2.000815')).toMatch(/not an online service/); // chứng thực: in person only
    expect(outcome('3.000722')).toMatch(/not an online service/); // bundle without a level
    expect(outcome('2.000635')).toMatch(/no single legal time limit/);
  });

  it('reads a time limit without a unit as working days, and says so', () => {
    const r = procedureFromPortal(record('1.000894'));
    expect(r.ok && r.input.timeLimit).toEqual({ value: 1, unit: 'WORKING_DAYS' });
    expect(r.ok && r.notes).toEqual(['time limit 1 has no unit: read as working days']);
  });

  it('accepts legacy levels 3 and 4', () => {
    const base = record('1.001193');
    const as = (serviceLevel: string | number) => {
      const r = procedureFromPortal({ ...base, serviceLevel });
      return r.ok ? r.input.serviceLevel : r.reason;
    };
    expect(as(4)).toBe('FULL_ONLINE');
    expect(as('3')).toBe('PARTIAL_ONLINE');
    expect(as(2)).toMatch(/not an online service/);
  });

  it('gives every loadable record a process within its limit and unique component codes', () => {
    const loaded = records.map(procedureFromPortal).filter((r) => r.ok);
    expect(loaded.length).toBe(27);
    for (const r of loaded) {
      if (!r.ok) continue;
      expect(processBudgetOverrun(r.input.steps, r.input.timeLimit)).toBeNull();
      const codes = r.input.components!.map((c) => c.code);
      expect(new Set(codes).size).toBe(codes.length);
    }
  });
});

describe('the standard three-step process', () => {
  it.each<[Duration, Array<[number, string]>]>([
    [
      { value: 1, unit: 'WORKING_DAYS' },
      [
        [1, 'WORKING_HOURS'],
        [5, 'WORKING_HOURS'],
        [2, 'WORKING_HOURS'],
      ],
    ],
    [
      { value: 3, unit: 'WORKING_DAYS' },
      [
        [4, 'WORKING_HOURS'],
        [2, 'WORKING_DAYS'],
        [4, 'WORKING_HOURS'],
      ],
    ],
    [
      { value: 10, unit: 'CALENDAR_DAYS' },
      [
        [4, 'WORKING_HOURS'],
        [9, 'CALENDAR_DAYS'],
        [4, 'WORKING_HOURS'],
      ],
    ],
    [
      { value: 4, unit: 'WORKING_HOURS' },
      [
        [0.5, 'WORKING_HOURS'],
        [2.5, 'WORKING_HOURS'],
        [1, 'WORKING_HOURS'],
      ],
    ],
  ])('splits %j exactly', (limit, budgets) => {
    const steps = standardProcess(limit);
    expect(steps.map((s) => [s.budget.value, s.budget.unit])).toEqual(budgets);
    expect(processBudgetOverrun(steps, limit)).toBeNull();
  });
});
