import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CertificateAuthority,
  serialOf,
  toPkcs12,
  type LeafOptions as CaLeafOptions,
  type RevokedEntry,
} from '../../src/signatures/trust/certificate-authority.js';
import type { SigningKey } from '../../src/signatures/trust/signing-key.js';
import type { AppConfig } from '../../src/config/app-config.js';
import { DEMO_CA_NAME, demoCaFile, publishedCrlUrl } from '../../src/signatures/trust/published-crls.js';

export type { SigningKey } from '../../src/signatures/trust/signing-key.js';
export { toPkcs12 };

/**
 * A test PKI made at run time, shaped like Vietnamese practice: a root (stands for the national
 * root CA), an intermediate (a public CA such as VNPT-CA) and leaves with CCCD / tax code in the
 * subject. A small HTTP server on 127.0.0.1 serves freshly signed CRLs for the root and the
 * intermediate at the URLs the certificates name.
 */
export interface TestPki {
  /** Trusted root, DER. */
  root: Uint8Array;
  intermediate: Uint8Array;
  /** http://127.0.0.1:<port> */
  crlBaseUrl: string;
  issue(opts?: LeafOptions): Promise<SigningKey>;
  /** The next CRL fetch lists the certificate (a leaf, or the intermediate) as revoked at `at`. */
  revoke(leaf: Pick<SigningKey, 'certificate'>, at: Date): Promise<void>;
  /** false → the CRL server answers 503. */
  setCrlAvailable(available: boolean): void;
  /** How many CRL requests the server has answered (any status). */
  crlRequests(): number;
  close(): Promise<void>;
}

export interface LeafOptions extends Omit<CaLeafOptions, 'crlUrl'> {
  /** Issued under a separate root that is not among the trust anchors. */
  untrustedRoot?: boolean;
}

/** `label` names the CAs (two test PKIs with the same names would collide in path building). */
export async function createTestPki(opts: { now?: Date; label?: string } = {}): Promise<TestPki> {
  const now = opts.now ?? new Date();
  const revoked = new Map<string, RevokedEntry[]>([
    ['root', []],
    ['intermediate', []],
  ]);
  const authorities = new Map<string, CertificateAuthority>();
  let available = true;
  let requests = 0;

  // CRLs are issued "now" (a minute back, as CAs do to absorb clock skew), or at the fixed time given.
  const issuedAt = () => new Date((opts.now ?? new Date()).getTime() - 60_000);
  const server = http.createServer((req, res) => {
    requests++;
    const name = /^\/(root|intermediate)\.crl$/.exec(req.url ?? '')?.[1];
    const ca = name ? authorities.get(name) : undefined;
    if (!available) return void res.writeHead(503).end();
    if (!name || !ca) return void res.writeHead(404).end();
    ca.crl(revoked.get(name)!, issuedAt())
      .then((crl) => res.writeHead(200, { 'content-type': 'application/pkix-crl' }).end(Buffer.from(crl)))
      .catch(() => res.writeHead(500).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const crlBaseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const organisation = 'motcua test PKI';
  const suffix = opts.label ? ` ${opts.label}` : '';
  const root = await CertificateAuthority.root(`Test Root CA (Quốc gia)${suffix}`, { now, organisation });
  const intermediate = await root.subordinate(`Test CA Công cộng${suffix}`, { now, organisation, crlUrl: `${crlBaseUrl}/root.crl` });
  authorities.set('root', root).set('intermediate', intermediate);
  let untrusted: CertificateAuthority | undefined;

  return {
    root: root.certificate,
    intermediate: intermediate.certificate,
    crlBaseUrl,
    async issue(o: LeafOptions = {}): Promise<SigningKey> {
      let issuer = intermediate;
      if (o.untrustedRoot) {
        untrusted ??= await (await CertificateAuthority.root('Untrusted Root CA', { now, organisation })).subordinate('Untrusted CA', { now, organisation });
        issuer = untrusted;
      }
      return issuer.issueLeaf({ ...o, now, crlUrl: `${crlBaseUrl}/intermediate.crl` });
    },
    async revoke(leaf: Pick<SigningKey, 'certificate'>, at: Date): Promise<void> {
      revoked.get(root.issued(leaf.certificate) ? 'root' : 'intermediate')!.push({ serial: serialOf(leaf.certificate), at });
    },
    setCrlAvailable(value: boolean) {
      available = value;
    },
    crlRequests: () => requests,
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}

/**
 * A signing key issued by the demo CA of an app started with SEED_DEMO and the default folders
 * (its CRL is the one the app publishes), e.g. for a citizen who signs an application.
 */
export async function demoCaKey(config: AppConfig, leaf: Omit<LeafOptions, 'untrustedRoot'> = {}): Promise<SigningKey> {
  const ca = CertificateAuthority.restore(JSON.parse(readFileSync(demoCaFile(config), 'utf8')));
  return ca.issueLeaf({ ...leaf, now: new Date(), crlUrl: publishedCrlUrl(config, DEMO_CA_NAME) });
}
