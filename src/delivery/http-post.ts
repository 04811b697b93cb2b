import { promises as dns, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { checkedLookup, DestinationRefused, isPublicAddress, type Resolve } from '../common/net/public-fetch.js';

/** What an attempt sent, as stored (secret-bearing headers redacted). */
export interface SentRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  bytes: number;
}

export interface Answer {
  status: number;
  headers: Record<string, string>;
  /** The first BODY_KEPT bytes of the body, as text (NUL shown as U+FFFD: PostgreSQL's jsonb cannot store it). */
  body: string;
}

export type PostResult = { kind: 'answer'; answer: Answer } | { kind: 'error'; error: string; refused: boolean };

const BODY_KEPT = 4096;
/** An answer header value kept in the log is cut to this many characters. */
const HEADER_KEPT = 500;
/** Headers never stored in an attempt's request. */
const SECRET_HEADERS = /^(authorization|proxy-authorization|cookie|x-api-key)$/i;
/** Answer headers worth keeping in the log. */
const KEPT_ANSWER_HEADERS = ['content-type', 'retry-after', 'location', 'date', 'server', 'x-request-id'];

export function redactHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, SECRET_HEADERS.test(k) ? '[redacted]' : v]));
}

export interface DestinationOptions {
  /** The URL is covered by an allowance its owner holds: any address may be reached. */
  allowPrivate: boolean;
  /** How host names are resolved (the system's resolver when absent). */
  resolve?: Resolve;
}

/**
 * POSTs `body` to `url` and reads the answer, within `timeoutMs` in all. Unless `allowPrivate`
 * (an admin allowed this URL for the endpoint's owner), the destination must be a public unicast
 * address: checked on what DNS returns by the connection's own lookup, so the connection goes to
 * the checked address (no second resolution), and on an address written in the URL. Redirects are
 * not followed (a 3xx is a failed delivery, as in Standard Webhooks).
 */
export function postJson(url: string, body: string, headers: Record<string, string>, opts: DestinationOptions & { timeoutMs: number }): Promise<PostResult> {
  return new Promise((resolve) => {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      return resolve({ kind: 'error', error: 'invalid URL', refused: true });
    }
    const allowed = opts.allowPrivate ? () => true : isPublicAddress;
    const literal = target.hostname.replace(/^\[|\]$/g, '');
    if (isIP(literal) && !allowed(literal)) return resolve({ kind: 'error', error: 'destination not allowed (private or loopback address)', refused: true });
    const signal = AbortSignal.timeout(opts.timeoutMs);
    const client = target.protocol === 'https:' ? https : http;
    let done = false;
    const finish = (r: PostResult) => {
      if (!done) {
        done = true;
        resolve(r);
      }
    };
    const fail = (e: unknown) => {
      const refused = e instanceof DestinationRefused || (e as { cause?: unknown })?.cause instanceof DestinationRefused;
      if (refused) return finish({ kind: 'error', error: 'destination not allowed (private or loopback address)', refused: true });
      if (signal.aborted) return finish({ kind: 'error', error: `no answer within ${opts.timeoutMs} ms`, refused: false });
      finish({ kind: 'error', error: `could not be reached (${(e as NodeJS.ErrnoException)?.code ?? 'error'})`, refused: false });
    };
    const request = client.request(
      target,
      {
        method: 'POST',
        lookup: checkedLookup(allowed, opts.resolve),
        signal,
        agent: false,
        headers: { ...headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) },
      },
      (response) => {
        const chunks: Buffer[] = [];
        let kept = 0;
        response.on('data', (chunk: Buffer) => {
          if (kept < BODY_KEPT) {
            chunks.push(chunk.subarray(0, BODY_KEPT - kept));
            kept += Math.min(chunk.length, BODY_KEPT - kept);
          }
        });
        response.on('end', () =>
          finish({
            kind: 'answer',
            answer: {
              status: response.statusCode ?? 0,
              headers: Object.fromEntries(
                KEPT_ANSWER_HEADERS.filter((h) => response.headers[h] !== undefined).map((h) => [
                  h,
                  storable(String(response.headers[h])).slice(0, HEADER_KEPT),
                ]),
              ),
              body: storable(Buffer.concat(chunks).toString('utf8')),
            },
          }),
        );
        response.on('error', fail);
      },
    );
    request.on('error', fail);
    request.end(body);
  });
}

/** Text a receiver sent, as PostgreSQL can store it in jsonb (which refuses U+0000). */
function storable(text: string): string {
  return text.replaceAll('\u0000', '\ufffd');
}

/** Whether `url`'s host resolves only to public addresses (or is allowed): for checking an endpoint when it is registered. */
export async function checkDestination(url: string, opts: DestinationOptions): Promise<'ok' | 'refused' | 'unresolvable'> {
  if (opts.allowPrivate) return 'ok';
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) return isPublicAddress(host) ? 'ok' : 'refused';
  try {
    const addresses = opts.resolve ? await opts.resolve(host, 0) : await dns.lookup(host, { all: true });
    return addresses.length > 0 && addresses.every((a) => isPublicAddress(a.address)) ? 'ok' : 'refused';
  } catch {
    return 'unresolvable';
  }
}

/**
 * Resolves names with these DNS servers (`ip` or `ip:port`, `[ipv6]:port`) instead of the
 * system's resolver: A and AAAA records, both asked at once; no hosts file. For a resolver that
 * sees a government network's names, or one that filters what webhooks may reach.
 */
export function resolverVia(servers: string[], timeoutMs = 2000): Resolve {
  const resolver = new dns.Resolver({ timeout: timeoutMs, tries: 2 });
  resolver.setServers(servers);
  return async (hostname, family) => {
    const kind = isIP(hostname);
    if (kind) return [{ address: hostname, family: kind }];
    const [v4, v6] = await Promise.allSettled([
      family === 6 ? Promise.resolve([]) : resolver.resolve4(hostname),
      family === 4 ? Promise.resolve([]) : resolver.resolve6(hostname),
    ]);
    const addresses: LookupAddress[] = [
      ...(v4.status === 'fulfilled' ? v4.value.map((address) => ({ address, family: 4 })) : []),
      ...(v6.status === 'fulfilled' ? v6.value.map((address) => ({ address, family: 6 })) : []),
    ];
    if (addresses.length > 0) return addresses;
    const failed = [v4, v6].find((r): r is PromiseRejectedResult => r.status === 'rejected');
    throw failed?.reason ?? Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' });
  };
}
