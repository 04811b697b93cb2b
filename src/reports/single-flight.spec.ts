import { describe, expect, it } from '@jest/globals';
import { SingleFlight } from './single-flight.js';

describe('SingleFlight', () => {
  it('runs one computation for 30 concurrent callers of a key, and gives each its answer', async () => {
    const flights = new SingleFlight<number>();
    let runs = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const compute = async () => {
      runs++;
      await gate;
      return 42;
    };
    const answers = Array.from({ length: 30 }, () => flights.run('a', compute));
    expect(flights.size).toBe(1);
    release();
    expect(await Promise.all(answers)).toEqual(Array(30).fill(42));
    expect(runs).toBe(1);
    expect(flights.size).toBe(0);
  });

  it('keeps keys apart, and runs again once a flight has settled, also after a failure', async () => {
    const flights = new SingleFlight<string>();
    const runs: string[] = [];
    const [a, b] = await Promise.all([
      flights.run('a', async () => {
        runs.push('a');
        return 'A';
      }),
      flights.run('b', async () => {
        runs.push('b');
        return 'B';
      }),
    ]);
    expect([a, b]).toEqual(['A', 'B']);
    await expect(
      flights.run('a', async () => {
        runs.push('a2');
        throw new Error('down');
      }),
    ).rejects.toThrow('down');
    expect(
      await flights.run('a', async () => {
        runs.push('a3');
        return 'A3';
      }),
    ).toBe('A3');
    expect(runs).toEqual(['a', 'b', 'a2', 'a3']);
  });
});
