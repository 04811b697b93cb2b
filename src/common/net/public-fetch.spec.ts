import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { fetchPublic, isPublicAddress } from './public-fetch.js';

describe('isPublicAddress', () => {
  it.each([
    '127.0.0.1', '127.8.9.10', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '224.0.0.1',
    '255.255.255.255', '::1', '::', 'fe80::1', 'fc00::1', 'fd12:3456::1', 'ff02::1', '::ffff:127.0.0.1', '::ffff:10.0.0.1', '64:ff9b::a00:1', 'localhost', '',
  ])('refuses %s', (address) => expect(isPublicAddress(address)).toBe(false));

  it.each(['8.8.8.8', '203.113.131.1', '14.225.0.1', '2001:4860:4860::8888', '::ffff:8.8.8.8'])('accepts %s', (address) => expect(isPublicAddress(address)).toBe(true));
});

describe('fetchPublic', () => {
  let target: http.Server;
  let redirector: http.Server;
  let targetHits = 0;
  let targetPort: number;
  let redirectorPort: number;
  const listen = (server: http.Server, host: string) => new Promise<number>((resolve) => server.listen(0, host, () => resolve((server.address() as AddressInfo).port)));

  beforeAll(async () => {
    target = http.createServer((_req, res) => {
      targetHits++;
      res.end('secret of the internal network');
    });
    targetPort = await listen(target, '127.0.0.2');
    redirector = http.createServer((req, res) => {
      const hops = Number(new URL(req.url!, 'http://x').searchParams.get('hops') ?? 0);
      const location = req.url!.startsWith('/loop') ? `/loop?hops=${hops + 1}` : req.url === '/ok' ? null : `http://127.0.0.2:${targetPort}/`;
      if (!location) return void res.end('crl bytes');
      res.writeHead(302, { location }).end();
    });
    redirectorPort = await listen(redirector, '127.0.0.1');
  });
  afterAll(async () => {
    await new Promise((r) => target.close(r));
    await new Promise((r) => redirector.close(r));
  });

  const opts = { timeoutMs: 2000, maxBytes: 1024 };

  it('refuses loopback, link-local and private destinations written in the URL or found by DNS, saying nothing more', async () => {
    for (const url of [`http://127.0.0.2:${targetPort}/`, 'http://169.254.169.254/latest/meta-data/', 'http://10.0.0.1/ca.crl', 'http://[::1]/ca.crl', `http://localhost:${targetPort}/`]) {
      await expect(fetchPublic(url, opts)).rejects.toMatchObject({ reason: 'destination not allowed' });
    }
    expect(targetHits).toBe(0);
  });

  it('checks every redirect, and follows at most three', async () => {
    // Only the redirector's address is allowed: its redirect to another loopback address is refused.
    const onlyRedirector = { ...opts, allowAddress: (a: string) => a === '127.0.0.1' };
    expect((await fetchPublic(`http://127.0.0.1:${redirectorPort}/ok`, onlyRedirector)).toString()).toBe('crl bytes');
    await expect(fetchPublic(`http://127.0.0.1:${redirectorPort}/to-internal`, onlyRedirector)).rejects.toMatchObject({ reason: 'destination not allowed' });
    expect(targetHits).toBe(0);
    await expect(fetchPublic(`http://127.0.0.1:${redirectorPort}/loop`, onlyRedirector)).rejects.toMatchObject({ reason: 'too many redirects' });
    // Allowed everywhere (tests, a lab CA), the redirect is followed.
    expect((await fetchPublic(`http://127.0.0.1:${redirectorPort}/to-internal`, { ...opts, allowPrivateNetworks: true })).toString()).toBe('secret of the internal network');
  });

  it('reports a connection failure without the system error', async () => {
    await expect(fetchPublic('http://127.0.0.1:9/ca.crl', { ...opts, allowPrivateNetworks: true })).rejects.toMatchObject({ reason: 'could not be reached' });
  });
});
