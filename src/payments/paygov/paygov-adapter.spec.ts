import { describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { checksumMatches, PaygovProvider, paygovChecksum, paygovTime, parsePaygovTime } from './paygov-adapter.js';

const settings = { url: 'http://127.0.0.1:1', partnerCode: 'MOTCUA', secret: 'shared-secret-0123456789' };
const callback = (over: Record<string, unknown> = {}) => {
  const m: Record<string, unknown> = {
    partnerCode: 'MOTCUA',
    orderId: 'X-1',
    transactionId: 'PG1',
    amount: 150000,
    currency: 'VND',
    errorCode: '00',
    payDate: '20261203213500',
    requestTime: '20261203213502',
    ...over,
  };
  return { ...m, checksum: paygovChecksum('callback', m, settings.secret) };
};

describe('the PayGov adapter (assumed format)', () => {
  it("hashes the recipe's fields in order with the secret last", () => {
    const a = paygovChecksum('query', { partnerCode: 'P', orderId: 'O', requestTime: 'T' }, 's');
    // sha256("P|O|T|s")
    expect(a).toBe(createHash('sha256').update('P|O|T|s').digest('hex'));
    expect(paygovChecksum('query', { partnerCode: 'P', orderId: 'O', requestTime: 'T', extra: 'ignored' }, 's')).toBe(a);
    expect(paygovChecksum('query', { partnerCode: 'P', orderId: 'O2', requestTime: 'T' }, 's')).not.toBe(a);
  });

  it('compares checksums in constant time and refuses what is not 64 hex digits', () => {
    const good = paygovChecksum('query', { partnerCode: 'P' }, 's');
    expect(checksumMatches(good, good)).toBe(true);
    expect(checksumMatches(good.toUpperCase(), good)).toBe(true);
    expect(checksumMatches(good.slice(0, 63) + (good[63] === '0' ? '1' : '0'), good)).toBe(false);
    expect(checksumMatches('abc', good)).toBe(false);
    expect(checksumMatches(undefined, good)).toBe(false);
  });

  it('reads a signed callback, refuses a forged, altered or malformed one', () => {
    const p = new PaygovProvider(settings);
    expect(p.parseCallback(callback())).toMatchObject({ ok: true, result: { reference: 'X-1', transactionId: 'PG1', paid: true, amountVnd: 150000 } });
    expect(p.parseCallback({ ...callback(), amount: 1 })).toMatchObject({ ok: false, reason: 'BAD_SIGNATURE' });
    const forged = { ...callback(), checksum: paygovChecksum('callback', callback(), 'another-secret') };
    expect(p.parseCallback(forged)).toMatchObject({ ok: false, reason: 'BAD_SIGNATURE' });
    expect(p.parseCallback({ orderId: 'X-1' })).toMatchObject({ ok: false, reason: 'MALFORMED' });
    expect(p.parseCallback('nonsense')).toMatchObject({ ok: false, reason: 'MALFORMED' });
    expect(p.parseCallback(callback({ errorCode: '24' }))).toMatchObject({ ok: true, result: { paid: false } });
    // The signed send time is required (the service refuses a callback outside its window).
    expect(p.parseCallback(callback({ requestTime: undefined }))).toMatchObject({ ok: false, reason: 'MALFORMED' });
    expect(p.parseCallback(callback())).toMatchObject({
      ok: true,
      result: { sentAt: new Date('2026-12-03T14:35:02Z'), paidAt: new Date('2026-12-03T14:35:00Z') },
    });
  });

  it('decides on the signed fields only: an unsigned field beside them is ignored, and named in what is kept', () => {
    const p = new PaygovProvider(settings);
    // The attack: a signed "paid" with `status: FAILED` added (the checksum does not cover `status`).
    const tampered = p.parseCallback({ ...callback(), status: 'FAILED', message: 'Giao dịch thành công' });
    expect(tampered).toMatchObject({ ok: true, result: { paid: true, resultCode: '00', transactionId: 'PG1' } });
    if (!tampered.ok) throw new Error('unreachable');
    expect(tampered.result.message).toEqual({ ...callback(), unsignedIgnored: ['status', 'message'] });
    // Nor does an unsigned `status: PAID` make a signed failure paid.
    expect(p.parseCallback({ ...callback({ errorCode: '24' }), status: 'PAID' })).toMatchObject({ ok: true, result: { paid: false } });
  });

  it('writes and reads times in Vietnam time', () => {
    expect(paygovTime(new Date('2026-12-31T17:00:00Z'))).toBe('20270101000000');
    expect(parsePaygovTime('20270101000000')!.toISOString()).toBe('2026-12-31T17:00:00.000Z');
    expect(parsePaygovTime('2027-01-01')).toBeNull();
  });
});
