import { createTestPki, type TestPki } from '../../../test/support/pki.js';
import { HttpCrlSource } from './crl-cache.js';
import { CrlUnavailable } from '../report.js';

const DAY = 24 * 3600 * 1000;
const now = new Date();
let pki: TestPki;
let url: string;
beforeAll(async () => {
  pki = await createTestPki({ now });
  url = `${pki.crlBaseUrl}/intermediate.crl`;
});
afterAll(async () => {
  await pki.close();
});

describe('HttpCrlSource', () => {
  it('serves a CRL from memory until its nextUpdate, and fetches it again after', async () => {
    const source = new HttpCrlSource({ allowPrivateNetworks: true });
    const before = pki.crlRequests();
    const first = await source.fetch(url, now);
    const again = await source.fetch(url, new Date(now.getTime() + 3600 * 1000));
    expect(Buffer.from(again).equals(Buffer.from(first))).toBe(true);
    expect(pki.crlRequests() - before).toBe(1);

    await source.fetch(url, new Date(now.getTime() + 2 * DAY));
    expect(pki.crlRequests() - before).toBe(2);
  });

  it('shares one download between concurrent requests for the same URL', async () => {
    const source = new HttpCrlSource({ allowPrivateNetworks: true });
    const before = pki.crlRequests();
    const results = await Promise.all([source.fetch(url, now), source.fetch(url, now), source.fetch(url, now)]);
    expect(pki.crlRequests() - before).toBe(1);
    expect(new Set(results.map((r) => Buffer.from(r).toString('hex'))).size).toBe(1);
  });

  it('rejects with CrlUnavailable naming the URL when the server fails, for unknown paths and for other protocols', async () => {
    const source = new HttpCrlSource({ allowPrivateNetworks: true });
    pki.setCrlAvailable(false);
    try {
      await expect(source.fetch(url, now)).rejects.toThrow(CrlUnavailable);
      await expect(source.fetch(url, now)).rejects.toThrow(`CRL ${url} unavailable: HTTP 503`);
    } finally {
      pki.setCrlAvailable(true);
    }
    await expect(source.fetch(`${pki.crlBaseUrl}/missing.crl`, now)).rejects.toThrow('HTTP 404');
    await expect(source.fetch('ldap://ldap.example.vn/cn=CA?certificateRevocationList', now)).rejects.toThrow('unsupported protocol');
  });

  it('gives up on a server that does not answer in time', async () => {
    const http = await import('node:http');
    const silent = http.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    try {
      await expect(new HttpCrlSource({ timeoutMs: 200, allowPrivateNetworks: true }).fetch(`http://127.0.0.1:${port}/slow.crl`, now)).rejects.toThrow(
        'no answer within 200 ms',
      );
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
