import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { fetchPublic, isPublicAddress } from './public-fetch.js';

describe('isPublicAddress', () => {
  it.each([
    '127.0.0.1',
    '127.8.9.10',
    '10.1.2.3',
    '172.16.0.1',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '::1',
    '::',
    'fe80::1',
    'fe80::1%eth0',
    'fc00::1',
    'fd12:3456::1',
    'ff02::1',
    'localhost',
    '',
    '127.1',
    '2130706433',
    '0x7f.0.0.1',
  ])('refuses %s', (address) => expect(isPublicAddress(address)).toBe(false));

  // The IPv6 forms that carry an IPv4 address, as a URL writes them, as the URL parser rewrites them, and as a DNS answer gives them.
  it.each([
    // IPv4-mapped (::ffff:0:0/96): judged as the IPv4 address.
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '0:0:0:0:0:ffff:7f00:1',
    '::FFFF:127.0.0.1',
    '::ffff:10.0.0.1',
    '::ffff:a00:1',
    '::ffff:169.254.169.254',
    '::ffff:0.0.0.0',
    // IPv4-compatible (::/96): refused whatever it carries (deprecated).
    '::127.0.0.1',
    '::7f00:1',
    '0:0:0:0:0:0:7f00:1',
    '::10.0.0.1',
    '::8.8.8.8',
    '::808:808',
    // IPv4-translated (::ffff:0:0:0/96): refused.
    '::ffff:0:7f00:1',
    '::ffff:0:808:808',
    // NAT64 well-known prefix (64:ff9b::/96): judged as the IPv4 address; local-use 64:ff9b:1::/48 refused.
    '64:ff9b::7f00:1',
    '64:ff9b::127.0.0.1',
    '64:ff9b::a00:1',
    '64:ff9b::a9fe:a9fe',
    '64:ff9b:1::808:808',
    // 6to4 (2002::/16) and Teredo (2001::/32): refused, public or not.
    '2002:7f00:1::1',
    '2002:808:808::1',
    '2001:0:4136:e378:8000:63bf:3fff:fdd2',
  ])('refuses %s', (address) => expect(isPublicAddress(address)).toBe(false));

  it.each(['8.8.8.8', '203.113.131.1', '14.225.0.1', '2001:4860:4860::8888', '::ffff:8.8.8.8', '::ffff:808:808', '64:ff9b::8.8.8.8', '64:ff9b::808:808'])(
    'accepts %s',
    (address) => expect(isPublicAddress(address)).toBe(true),
  );

  it("judges a URL's address as the URL parser writes it", () => {
    for (const url of [
      'http://[::127.0.0.1]/',
      'http://[::ffff:127.0.0.1]/',
      'http://[::ffff:7f00:1]/',
      'http://[64:ff9b::127.0.0.1]/',
      'http://0x7f.1/',
      'http://2130706433/',
    ]) {
      expect(isPublicAddress(new URL(url).hostname.replace(/^\[|\]$/g, ''))).toBe(false);
    }
  });
});

describe('fetchPublic', () => {
  let target: http.Server;
  let redirector: http.Server;
  let targetHits = 0;
  let targetPort: number;
  let redirectorPort: number;
  const listen = (server: http.Server, host: string) =>
    new Promise<number>((resolve) => server.listen(0, host, () => resolve((server.address() as AddressInfo).port)));

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
    for (const url of [
      `http://127.0.0.2:${targetPort}/`,
      'http://169.254.169.254/latest/meta-data/',
      'http://10.0.0.1/ca.crl',
      'http://[::1]/ca.crl',
      `http://localhost:${targetPort}/`,
    ]) {
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
    expect((await fetchPublic(`http://127.0.0.1:${redirectorPort}/to-internal`, { ...opts, allowPrivateNetworks: true })).toString()).toBe(
      'secret of the internal network',
    );
  });

  it('reports a connection failure without the system error', async () => {
    await expect(fetchPublic('http://127.0.0.1:9/ca.crl', { ...opts, allowPrivateNetworks: true })).rejects.toMatchObject({ reason: 'could not be reached' });
  });
});
