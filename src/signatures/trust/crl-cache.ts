import * as pkijs from 'pkijs';
import { fetchPublic, PublicFetchError } from '../../common/net/public-fetch.js';
import { CrlUnavailable, type CrlSource } from '../report.js';

const MAX_CRL_BYTES = 10 * 1024 * 1024;
/** How long a CRL without nextUpdate is reused. */
const DEFAULT_LIFETIME_MS = 3600 * 1000;

interface Entry {
  der: Uint8Array;
  /** Reused for times before this; refetched from then on. */
  until: Date;
}

/**
 * CRLs fetched over HTTP(S) from the distribution points certificates name, kept in memory per URL
 * until their nextUpdate (an hour when they have none) and refetched after. Concurrent requests for
 * one URL share one download. Fetches time out (5 s by default), stop at 10 MB, and reach only
 * public addresses (see fetchPublic; `allowPrivateNetworks` lifts that for tests and lab CAs). Any
 * failure rejects with CrlUnavailable, which verification reports as INDETERMINATE / TRY_LATER,
 * with a reason that names no internal address.
 */
export class HttpCrlSource implements CrlSource {
  private readonly timeoutMs: number;
  private readonly maxEntries: number;
  private readonly allowPrivateNetworks: boolean;
  private readonly cache = new Map<string, Entry>();
  private readonly inFlight = new Map<string, Promise<Entry>>();

  constructor(opts: { timeoutMs?: number; maxEntries?: number; allowPrivateNetworks?: boolean } = {}) {
    this.timeoutMs = opts.timeoutMs ?? 5000;
    this.maxEntries = opts.maxEntries ?? 256;
    this.allowPrivateNetworks = opts.allowPrivateNetworks ?? false;
  }

  async fetch(url: string, at: Date): Promise<Uint8Array> {
    const cached = this.cache.get(url);
    if (cached && at < cached.until) {
      this.cache.delete(url); // most recently used last: eviction takes the oldest first
      this.cache.set(url, cached);
      return cached.der;
    }
    let download = this.inFlight.get(url);
    if (!download) {
      download = this.download(url, at).finally(() => this.inFlight.delete(url));
      this.inFlight.set(url, download);
    }
    return (await download).der;
  }

  private async download(url: string, at: Date): Promise<Entry> {
    let protocol: string;
    try {
      protocol = new URL(url).protocol;
    } catch {
      throw new CrlUnavailable(url, 'invalid URL');
    }
    if (protocol !== 'http:' && protocol !== 'https:') throw new CrlUnavailable(url, `unsupported protocol ${protocol}`);
    const der = await this.get(url);
    let nextUpdate: Date | null;
    try {
      nextUpdate = pkijs.CertificateRevocationList.fromBER(der).nextUpdate?.value ?? null;
    } catch {
      throw new CrlUnavailable(url, 'not a CRL');
    }
    const entry = { der, until: nextUpdate ?? new Date(at.getTime() + DEFAULT_LIFETIME_MS) };
    this.cache.delete(url);
    this.cache.set(url, entry);
    while (this.cache.size > this.maxEntries) this.cache.delete(this.cache.keys().next().value!);
    return entry;
  }

  private async get(url: string): Promise<Uint8Array> {
    try {
      return new Uint8Array(await fetchPublic(url, { timeoutMs: this.timeoutMs, maxBytes: MAX_CRL_BYTES, allowPrivateNetworks: this.allowPrivateNetworks }));
    } catch (e) {
      throw new CrlUnavailable(url, e instanceof PublicFetchError ? e.reason : 'could not be fetched');
    }
  }
}
