import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * HTTP(S) GETs of URLs that uploaded documents name (a certificate's CRL distribution point, and
 * any future OCSP responder or timestamp authority): the service must not become a way into its
 * own network. The destination must be a public unicast address (not loopback, private,
 * link-local, carrier-grade NAT, unique-local, multicast, unspecified or reserved), checked on the
 * addresses DNS gives and on the very address connected to (the check is the connection's own
 * lookup, so a name cannot resolve to one address for the check and another for the connection),
 * and again after each redirect, which are followed by hand (at most three).
 */

/** The destination is not a public address (the caller reports it without saying more). */
export class DestinationRefused extends Error {
  constructor(readonly address: string) {
    super(`destination ${address} is not a public address`);
    this.name = 'DestinationRefused';
  }
}

/** The fetch failed; `reason` is safe to show (no internal address, no system error text). */
export class PublicFetchError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'PublicFetchError';
  }
}

/**
 * A public unicast address. IPv6 forms that carry an IPv4 address are judged as the address they
 * reach: IPv4-mapped (`::ffff:a.b.c.d`, which a dual-stack socket connects to as IPv4) and the
 * NAT64 well-known prefix (`64:ff9b::a.b.c.d`, what DNS64 answers for an IPv4-only receiver, so
 * refusing it outright would cut IPv6-only deployments off). Refused outright: IPv4-compatible
 * (`::a.b.c.d`, the whole of ::/96, deprecated since RFC 4291 and holding `::` and `::1`),
 * IPv4-translated (`::ffff:0:a.b.c.d`), local-use NAT64 (`64:ff9b:1::/48`), 6to4 (`2002::/16`)
 * and Teredo (`2001::/32`), both deprecated relays whose far end no check here can judge.
 * ipaddr.js reads any dotted quad after `::` as IPv4-mapped (`::8.8.8.8` too), so the quad is
 * rewritten as hex first and the 16 bytes are looked at, not the range ipaddr.js names.
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  if (!address.includes(':')) return ipaddr.parse(address).range() === 'unicast';
  const parsed = ipaddr.parse(
    address.replace(
      /(\d+)\.(\d+)\.(\d+)\.(\d+)(%.*)?$/,
      (_, a, b, c, d, zone = '') => `${((+a << 8) | +b).toString(16)}:${((+c << 8) | +d).toString(16)}${zone}`,
    ),
  );
  const bytes = (parsed as ipaddr.IPv6).toByteArray();
  const zeros = (from: number, to: number) => bytes.slice(from, to).every((b) => b === 0);
  const carried = () => ipaddr.fromByteArray(bytes.slice(12)).range() === 'unicast';
  if (zeros(0, 10) && bytes[10] === 0xff && bytes[11] === 0xff) return carried();
  if (zeros(0, 12)) return false;
  if (bytes[0] === 0x00 && bytes[1] === 0x64 && bytes[2] === 0xff && bytes[3] === 0x9b && zeros(4, 12)) return carried();
  return parsed.range() === 'unicast';
}

/** The addresses a host name has, as dns.lookup gives them with `all: true`. */
export type Resolve = (hostname: string, family: 0 | 4 | 6) => Promise<LookupAddress[]>;

/**
 * A lookup for http(s).request that refuses the addresses `allowed` does not accept; names are
 * resolved by `resolve` when given (e.g. other DNS servers), by the system's resolver otherwise.
 */
export function checkedLookup(allowed: (address: string) => boolean, resolve?: Resolve): LookupFunction {
  return ((hostname: string, options: { all?: boolean; family?: number; hints?: number }, callback: (...args: unknown[]) => void) => {
    const found = (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => {
      if (error) return callback(error);
      const refused = addresses.find((a) => !allowed(a.address));
      if (refused || addresses.length === 0) return callback(new DestinationRefused(refused?.address ?? hostname));
      if (options.all) return callback(null, addresses);
      callback(null, addresses[0].address, addresses[0].family);
    };
    const family = (options.family === 4 || options.family === 6 ? options.family : 0) as 0 | 4 | 6;
    if (resolve)
      resolve(hostname, family).then(
        (a) => found(null, a),
        (e: NodeJS.ErrnoException) => found(e, []),
      );
    else dnsLookup(hostname, { all: true, family, hints: options.hints }, found);
  }) as LookupFunction;
}

export interface PublicFetchOptions {
  timeoutMs: number;
  maxBytes: number;
  /** Lets the fetch reach loopback and private addresses (tests, a lab CA); never in production. */
  allowPrivateNetworks?: boolean;
  /** Which addresses may be connected to; isPublicAddress (or any, with allowPrivateNetworks) by default. */
  allowAddress?: (address: string) => boolean;
  maxRedirects?: number;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * The body of `url`, following up to `maxRedirects` redirects, each destination checked. Rejects
 * with PublicFetchError whose reason names no address and carries no system error text.
 */
export async function fetchPublic(url: string, opts: PublicFetchOptions): Promise<Buffer> {
  const signal = AbortSignal.timeout(opts.timeoutMs);
  const allowed = opts.allowAddress ?? (opts.allowPrivateNetworks ? () => true : isPublicAddress);
  const lookup = checkedLookup(allowed);
  let current: URL;
  try {
    current = new URL(url);
  } catch {
    throw new PublicFetchError('invalid URL');
  }
  for (let hop = 0; ; hop++) {
    if (current.protocol !== 'http:' && current.protocol !== 'https:') throw new PublicFetchError(`unsupported protocol ${current.protocol}`);
    const literal = current.hostname.replace(/^\[|\]$/g, '');
    // An address written in the URL is connected to without a lookup: checked here instead.
    if (isIP(literal) && !allowed(literal)) throw new PublicFetchError('destination not allowed');
    const answer = await getOnce(current, lookup, signal, opts);
    if (answer.kind === 'body') return answer.body;
    if (hop >= (opts.maxRedirects ?? 3)) throw new PublicFetchError('too many redirects');
    try {
      current = new URL(answer.location, current);
    } catch {
      throw new PublicFetchError('invalid redirect');
    }
  }
}

function getOnce(
  url: URL,
  lookup: LookupFunction,
  signal: AbortSignal,
  opts: PublicFetchOptions,
): Promise<{ kind: 'body'; body: Buffer } | { kind: 'redirect'; location: string }> {
  return new Promise((resolve, reject) => {
    const fail = (e: unknown) => {
      if (e instanceof PublicFetchError) return reject(e);
      if (e instanceof DestinationRefused || (e as { cause?: unknown })?.cause instanceof DestinationRefused)
        return reject(new PublicFetchError('destination not allowed'));
      if (signal.aborted) return reject(new PublicFetchError(`no answer within ${opts.timeoutMs} ms`));
      reject(new PublicFetchError('could not be reached'));
    };
    const client = url.protocol === 'https:' ? https : http;
    const request = client.get(url, { lookup, signal, headers: { accept: 'application/pkix-crl, application/octet-stream;q=0.8, */*;q=0.1' } }, (response) => {
      const status = response.statusCode ?? 0;
      if (REDIRECTS.has(status) && response.headers.location) {
        response.resume();
        return resolve({ kind: 'redirect', location: response.headers.location });
      }
      if (status < 200 || status > 299) {
        response.resume();
        return fail(new PublicFetchError(`HTTP ${status}`));
      }
      const tooLarge = () => fail(new PublicFetchError(`larger than ${Math.round(opts.maxBytes / 1024 / 1024)} MB`));
      if (Number(response.headers['content-length'] ?? 0) > opts.maxBytes) {
        response.destroy();
        return tooLarge();
      }
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > opts.maxBytes) {
          response.destroy();
          return tooLarge();
        }
        chunks.push(chunk);
      });
      response.on('end', () => resolve({ kind: 'body', body: Buffer.concat(chunks) }));
      response.on('error', fail);
    });
    request.on('error', fail);
  });
}
