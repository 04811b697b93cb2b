import { defaultOfficeHours } from '../src/agencies/office-hours.js';
import type { Duration } from '../src/catalog/catalog.types.js';
import { NaiveCalendar } from '../src/calendar/naive-calendar.js';
import { storedNationalDays } from '../src/calendar/national-schedule.js';
import { buildWorkingCalendar, computeDueDate } from '../src/calendar/working-calendar.js';

/**
 * `npm run bench:calendar`: due-date computations per second (working days, date rule) with random
 * start instants over 2024–2027 on the national schedule, for the precomputed WorkingCalendar and
 * for the naive day-by-day loop in the same run, on the same inputs. Prints both and the ratio.
 * Targets: ≥ 20× the naive loop and ≥ 1 million computations/s for 5 working days.
 */
const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);
const INPUTS = 100_000;

const hours = defaultOfficeHours();
const days = storedNationalDays();
const built = process.hrtime.bigint();
const cal = buildWorkingCalendar(hours, days);
const buildMs = Number(process.hrtime.bigint() - built) / 1e6;
const naive = new NaiveCalendar(hours, days);

// A fixed seed (xorshift) so runs are comparable; starts at any minute of 2024–2027.
let seed = 0x2024_1127;
const random = () => {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) / 2 ** 32;
};
const from = Date.parse('2024-01-01T00:00:00+07:00');
const span = Date.parse('2028-01-01T00:00:00+07:00') - from;
const starts = Array.from({ length: INPUTS }, () => new Date(from + Math.floor((random() * span) / 60_000) * 60_000));

/** Runs fn over the inputs for about SECONDS; returns computations per second. */
function measure(fn: (start: Date) => number): number {
  let sink = 0;
  for (let i = 0; i < 2000; i++) sink += fn(starts[i]); // warm-up
  let count = 0;
  const began = process.hrtime.bigint();
  const budget = BigInt(SECONDS * 1e9);
  for (;;) {
    for (let i = 0; i < 1000; i++) sink += fn(starts[(count + i) % INPUTS]);
    count += 1000;
    const elapsed = process.hrtime.bigint() - began;
    if (elapsed >= budget) {
      if (sink === 42) process.stdout.write(''); // keep the work observable
      return count / (Number(elapsed) / 1e9);
    }
  }
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US').padStart(13);
process.stdout.write(`working calendar built over 2000–2099 in ${buildMs.toFixed(1)} ms; ${SECONDS} s per measurement, node ${process.version}\n\n`);
process.stdout.write(`${'limit'.padEnd(18)}${'fast /s'.padStart(13)}${'naive /s'.padStart(13)}${'ratio'.padStart(9)}\n`);
for (const value of [5, 60]) {
  const limit: Duration = { value, unit: 'WORKING_DAYS' };
  for (let i = 0; i < 1000; i++) {
    // The two must agree before their speeds mean anything.
    const a = computeDueDate(cal, starts[i], limit).dueAt.getTime();
    const b = naive.dueDate(starts[i].getTime(), limit).dueAt;
    if (a !== b) throw new Error(`disagreement at ${starts[i].toISOString()}: ${a} vs ${b}`);
  }
  const fast = measure((s) => computeDueDate(cal, s, limit).dueAt.getTime());
  const slow = measure((s) => naive.dueDate(s.getTime(), limit).dueAt);
  process.stdout.write(`${`${value} working days`.padEnd(18)}${fmt(fast)}${fmt(slow)}${`${(fast / slow).toFixed(1)}×`.padStart(9)}\n`);
}
