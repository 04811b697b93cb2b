import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { checkDestination, resolverVia } from '../delivery/http-post.js';
import type { Resolve } from '../common/net/public-fetch.js';

/** Who an endpoint (and an allowance) belongs to. */
export interface EndpointOwner {
  kind: 'api-key' | 'user';
  id: string;
}

/** A URL cut into what an allowance compares: `scheme://host:port` (the port always written) and the path. */
function split(raw: string): { origin: string; path: string; url: URL } | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password || !url.hostname) return null;
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return { origin: `${url.protocol}//${url.hostname}:${port}`, path: url.pathname, url };
}

/** Percent-encoded `/`, `\` and `.`: a receiver may decode them into a path outside the prefix. */
const ENCODED_SEPARATOR = /%(2f|5c|2e)/i;

/**
 * An allowance as stored: `scheme://host:port/path`, with the port always written and the host as
 * the URL parser writes it (lower case, IPv4 in dotted decimal, IPv6 compressed in brackets), so
 * it compares as a string with what endpoint URLs become. Null for anything but an http(s) URL
 * without credentials, query, fragment or encoded separators.
 */
export function normalizeAllowance(raw: string): string | null {
  const parts = split(raw.trim());
  if (!parts || parts.url.search || parts.url.hash || ENCODED_SEPARATOR.test(parts.path)) return null;
  return parts.origin + parts.path;
}

/**
 * Whether an allowance (as normalizeAllowance writes it) covers an endpoint URL: the same scheme,
 * host and port, and, for an allowance with a path, the URL's path is that path or below it (at a
 * `/`: `/hooks` covers `/hooks/a`, not `/hooksmith`). The port is the boundary that matters; a
 * path only narrows, which is why an encoded separator in the URL does not pass a path.
 */
export function allowanceCovers(allowance: string, endpointUrl: string): boolean {
  const a = split(allowance);
  const e = split(endpointUrl);
  if (!a || !e || a.origin !== e.origin) return false;
  if (a.path === '/') return true;
  if (ENCODED_SEPARATOR.test(e.path)) return false;
  return e.path === a.path || e.path.startsWith(a.path.endsWith('/') ? a.path : `${a.path}/`);
}

/**
 * Where webhooks may go: a public address, or a private one that an allowance of the endpoint's
 * owner covers. Asked when an endpoint is registered or changed, and again at every attempt (an
 * allowance may have been removed, DNS may answer otherwise).
 */
@Injectable()
export class WebhookDestinations {
  /** How endpoint host names are resolved: WEBHOOK_DNS_SERVERS, or the system's resolver. */
  readonly resolve?: Resolve;

  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(AppConfig) config: AppConfig,
  ) {
    if (config.webhooks.dnsServers.length) this.resolve = resolverVia(config.webhooks.dnsServers);
  }

  /** Whether one of the owner's allowances covers the URL (the private-address check is then lifted for it). */
  async allowed(owner: EndpointOwner, url: string, em: EntityManager | DataSource = this.db): Promise<boolean> {
    const rows: Array<{ url_prefix: string }> = await em.query(`SELECT url_prefix FROM webhook_allowed_hosts WHERE owner_kind = $1 AND owner_id = $2`, [
      owner.kind,
      owner.id,
    ]);
    return rows.some((r) => allowanceCovers(r.url_prefix, url));
  }

  /** The verdict on registering `url` for `owner`: its addresses are resolved unless an allowance covers it. */
  async check(owner: EndpointOwner, url: string): Promise<'ok' | 'refused' | 'unresolvable'> {
    return checkDestination(url, { allowPrivate: await this.allowed(owner, url), resolve: this.resolve });
  }
}
