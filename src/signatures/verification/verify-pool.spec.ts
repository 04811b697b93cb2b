import { afterEach, describe, expect, it } from '@jest/globals';
import { DEFAULT_VERIFICATION_LIMITS, type CrlSource } from '../report.js';
import { manyReferencesXml, pdfBomb } from '../testing/hostile-files.js';
import { residentBytes, VerifyPool, type SerializedContext } from './verify-pool.js';

// The children run the compiled verifier (dist/): `tsc` first, as for every test run.
const MB = 1024 * 1024;
const lifted: SerializedContext = {
  trustAnchors: [],
  validationTime: '2026-01-05T03:00:00.000Z',
  proofOfExistence: null,
  limits: { ...DEFAULT_VERIFICATION_LIMITS, maxXmlReferences: 100_000, maxInflatedBytes: 4096 * MB },
};
const noCrls: CrlSource = { fetch: () => Promise.reject(new Error('no CRLs here')) };

describe('VerifyPool', () => {
  let pool: VerifyPool | undefined;
  afterEach(async () => {
    await pool?.close();
  });

  // The limits are far from both files' needs (3 references take milliseconds, 8,000 take well over
  // 10 s in-process), so a loaded machine cannot make the small file time out or the big one finish.
  it('verifies in a child process, stops a file at the time limit with a final report, and goes on with a fresh child', async () => {
    pool = new VerifyPool({ workers: 1, timeoutMs: 3000, memoryMb: 1024, crls: noCrls });
    const small = await pool.verify(manyReferencesXml(3), 'application/xml', lifted);
    expect(small).toMatchObject({ format: 'XML', indication: 'TOTAL_FAILED' });
    expect(small.limit).toBeUndefined();
    const [first] = pool.pids();
    expect(first).not.toBe(process.pid);
    const slow = await pool.verify(manyReferencesXml(8000), 'application/xml', lifted);
    expect(slow).toMatchObject({ format: 'XML', indication: 'INDETERMINATE', subIndication: null, signatures: [], limit: { kind: 'TIMEOUT', max: 3000 } });
    expect(residentBytes(first)).toBeNull(); // killed
    expect((await pool.verify(manyReferencesXml(3), 'application/xml', lifted)).limit).toBeUndefined();
    expect(pool.pids()).not.toContain(first);
  });

  it('stops a child whose resident memory passes the limit', async () => {
    pool = new VerifyPool({ workers: 1, timeoutMs: 60_000, memoryMb: 160, crls: noCrls });
    const report = await pool.verify(await pdfBomb(400 * MB), 'application/pdf', lifted);
    expect(report).toMatchObject({ format: 'PDF', indication: 'INDETERMINATE', limit: { kind: 'MEMORY', max: 160 } });
    expect(report.messages[0]).toMatch(/went over its memory limit \(160 MB\)/);
  });

  it('runs files side by side in as many children as it may have', async () => {
    pool = new VerifyPool({ workers: 2, timeoutMs: 3000, memoryMb: 1024, crls: noCrls });
    let most = 0;
    const watch = setInterval(() => (most = Math.max(most, pool!.pids().length)), 20);
    const reports = await Promise.all([1, 2].map(() => pool!.verify(manyReferencesXml(8000), 'application/xml', lifted)));
    clearInterval(watch);
    expect(reports.map((r) => r.limit?.kind)).toEqual(['TIMEOUT', 'TIMEOUT']);
    expect(most).toBe(2);
  });
});
