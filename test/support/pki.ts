import 'reflect-metadata';
import { createPublicKey, generateKeyPairSync, randomBytes, webcrypto, type KeyObject } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as x509 from '@peculiar/x509';
import forge from 'node-forge';
import * as pkijs from 'pkijs';
import type { SigningKey } from '../../src/signing/cms-signer.js';

export type { SigningKey } from '../../src/signing/cms-signer.js';

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
  /** The next CRL fetch lists the leaf (or, given `{ certificate: pki.intermediate }`, the intermediate) as revoked at `at`. */
  revoke(leaf: Pick<SigningKey, 'certificate'>, at: Date): Promise<void>;
  /** false → the CRL server answers 503. */
  setCrlAvailable(available: boolean): void;
  /** How many CRL requests the server has answered (any status). */
  crlRequests(): number;
  close(): Promise<void>;
}

export interface LeafOptions {
  commonName?: string;
  cccd?: string;
  taxCode?: string;
  email?: string;
  keyType?: 'RSA' | 'EC';
  /** RSA: 2048 by default; EC: 256 (P-256) or 384. */
  keyBits?: number;
  /** The hash the issuing CA signs the leaf certificate with. */
  hash?: 'SHA-1' | 'SHA-256';
  notBefore?: Date;
  notAfter?: Date;
  /** Issued under a separate root that is not among the trust anchors. */
  untrustedRoot?: boolean;
}

const DAY = 24 * 3600 * 1000;
const OID_UID = '0.9.2342.19200300.100.1.1';
const RSA_SHA = (hash: string) => ({ name: 'RSASSA-PKCS1-v1_5', hash });

interface Authority {
  name: x509.Name;
  key: KeyObject;
  certificate: x509.X509Certificate;
}

type NameParts = { commonName: string; uid?: string[]; email?: string; organisation?: string };

/** Subject in Vietnamese CA style; encoded C first so that RFC 4514 shows CN first. UTF8String. */
function vietnameseName(parts: NameParts): x509.Name {
  const utf8 = (value: string) => [{ utf8String: value }];
  return new x509.Name([
    { C: ['VN'] },
    { ST: utf8('Hà Nội') },
    ...(parts.organisation ? [{ O: utf8(parts.organisation) }] : []),
    ...(parts.uid ?? []).map((uid) => ({ [OID_UID]: utf8(uid) })),
    ...(parts.email ? [{ E: [parts.email] }] : []),
    { CN: utf8(parts.commonName) },
  ]);
}

function serialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] &= 0x7f;
  bytes[0] |= 0x10;
  return bytes.toString('hex');
}

function crlDistributionPoint(url: string): x509.Extension {
  const value = new pkijs.CRLDistributionPoints({
    distributionPoints: [new pkijs.DistributionPoint({ distributionPoint: [new pkijs.GeneralName({ type: 6, value: url })] })],
  });
  return new x509.Extension('2.5.29.31', false, value.toSchema().toBER());
}

/** A WebCrypto key for @peculiar/x509, which takes the hash from the key. */
// Typed loosely: @peculiar/x509's types name the DOM's CryptoKey, which this project's lib lacks.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function signingKey(key: KeyObject, hash: string): Promise<any> {
  const pkcs8 = key.export({ format: 'der', type: 'pkcs8' });
  return webcrypto.subtle.importKey('pkcs8', pkcs8, RSA_SHA(hash), false, ['sign']);
}

function rsaKey(bits: number): KeyObject {
  return generateKeyPairSync('rsa', { modulusLength: bits }).privateKey;
}

function spkiOf(key: KeyObject): Buffer {
  return createPublicKey(key).export({ format: 'der', type: 'spki' });
}

async function issueCertificate(p: {
  subject: x509.Name;
  subjectKey: KeyObject;
  issuer: Authority | null;
  notBefore: Date;
  notAfter: Date;
  ca: boolean;
  hash?: string;
  crlUrl?: string;
  email?: string;
}): Promise<x509.X509Certificate> {
  const signer = p.issuer?.key ?? p.subjectKey;
  const publicKey = spkiOf(p.subjectKey);
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(p.ca, undefined, true),
    new x509.KeyUsagesExtension(
      p.ca ? x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign : x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation,
      true,
    ),
    await x509.SubjectKeyIdentifierExtension.create(publicKey),
  ];
  if (p.issuer) extensions.push(await x509.AuthorityKeyIdentifierExtension.create(p.issuer.certificate));
  if (p.crlUrl) extensions.push(crlDistributionPoint(p.crlUrl));
  if (p.email) extensions.push(new x509.SubjectAlternativeNameExtension([{ type: 'email', value: p.email }]));
  return x509.X509CertificateGenerator.create({
    serialNumber: serialNumber(),
    subject: p.subject,
    issuer: p.issuer?.name ?? p.subject,
    notBefore: p.notBefore,
    notAfter: p.notAfter,
    publicKey,
    signingKey: await signingKey(signer, p.hash ?? 'SHA-256'),
    signingAlgorithm: RSA_SHA(p.hash ?? 'SHA-256'),
    extensions,
  });
}

async function authority(name: string, issuer: Authority | null, now: Date, crlUrl?: string): Promise<Authority> {
  const key = rsaKey(2048);
  const subject = vietnameseName({ commonName: name, organisation: 'motcua test PKI' });
  const certificate = await issueCertificate({
    subject,
    subjectKey: key,
    issuer,
    notBefore: new Date(now.getTime() - 3650 * DAY),
    notAfter: new Date(now.getTime() + 3650 * DAY),
    ca: true,
    crlUrl,
  });
  return { name: subject, key, certificate };
}

const der = (c: x509.X509Certificate) => new Uint8Array(c.rawData);

export async function createTestPki(opts: { now?: Date } = {}): Promise<TestPki> {
  const now = opts.now ?? new Date();
  const revoked = new Map<string, { serial: string; at: Date }[]>([
    ['root', []],
    ['intermediate', []],
  ]);
  let available = true;
  let requests = 0;
  const authorities = new Map<string, Authority>();

  // CRLs are issued "now" (a minute back, as CAs do to absorb clock skew), or at the fixed time given.
  const issuedAt = () => new Date((opts.now ?? new Date()).getTime() - 60_000);
  const server = http.createServer((req, res) => {
    requests++;
    const name = /^\/(root|intermediate)\.crl$/.exec(req.url ?? '')?.[1];
    const ca = name ? authorities.get(name) : undefined;
    if (!available) return void res.writeHead(503).end();
    if (!name || !ca) return void res.writeHead(404).end();
    const thisUpdate = issuedAt();
    signingKey(ca.key, 'SHA-256')
      .then((key) =>
        x509.X509CrlGenerator.create({
          issuer: ca.name,
          thisUpdate,
          nextUpdate: new Date(thisUpdate.getTime() + DAY),
          entries: revoked.get(name)!.map((r) => ({ serialNumber: r.serial, revocationDate: r.at, reason: x509.X509CrlReason.keyCompromise })),
          signingKey: key,
          signingAlgorithm: RSA_SHA('SHA-256'),
        }),
      )
      .then((crl) => res.writeHead(200, { 'content-type': 'application/pkix-crl' }).end(Buffer.from(crl.rawData)))
      .catch(() => res.writeHead(500).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const crlBaseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const root = await authority('Test Root CA (Quốc gia)', null, now);
  const intermediate = await authority('Test CA Công cộng', root, now, `${crlBaseUrl}/root.crl`);
  authorities.set('root', root).set('intermediate', intermediate);
  let otherRoot: Authority | undefined;
  let otherIntermediate: Authority | undefined;

  return {
    root: der(root.certificate),
    intermediate: der(intermediate.certificate),
    crlBaseUrl,
    async issue(o: LeafOptions = {}): Promise<SigningKey> {
      const key =
        o.keyType === 'EC'
          ? generateKeyPairSync('ec', { namedCurve: o.keyBits === 384 ? 'P-384' : 'P-256' }).privateKey
          : rsaKey(o.keyBits ?? 2048);
      let issuer = intermediate;
      if (o.untrustedRoot) {
        otherRoot ??= await authority('Untrusted Root CA', null, now);
        otherIntermediate ??= await authority('Untrusted CA', otherRoot, now);
        issuer = otherIntermediate;
      }
      const uid = [o.cccd !== undefined || !o.taxCode ? `CCCD:${o.cccd ?? '001090000001'}` : null, o.taxCode ? `MST:${o.taxCode}` : null];
      const certificate = await issueCertificate({
        subject: vietnameseName({ commonName: o.commonName ?? 'Nguyễn Văn An', uid: uid.filter((u): u is string => !!u), email: o.email }),
        subjectKey: key,
        issuer,
        notBefore: o.notBefore ?? new Date(now.getTime() - 30 * DAY),
        notAfter: o.notAfter ?? new Date(now.getTime() + 365 * DAY),
        ca: false,
        hash: o.hash,
        crlUrl: `${crlBaseUrl}/intermediate.crl`,
        email: o.email,
      });
      return { privateKey: key, certificate: der(certificate), chain: [der(issuer.certificate)] };
    },
    async revoke(leaf: Pick<SigningKey, 'certificate'>, at: Date): Promise<void> {
      const serial = new x509.X509Certificate(leaf.certificate).serialNumber;
      const issuerIsRoot = new x509.X509Certificate(leaf.certificate).issuer === root.certificate.subject;
      revoked.get(issuerIsRoot ? 'root' : 'intermediate')!.push({ serial, at });
    },
    setCrlAvailable(value: boolean) {
      available = value;
    },
    crlRequests: () => requests,
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}

/** A PKCS#12 file (3DES, as most Vietnamese tokens export) holding the key, leaf and chain. RSA keys only (node-forge). */
export function toPkcs12(key: SigningKey, password: string): Buffer {
  const forgeCert = (d: Uint8Array) => forge.pki.certificateFromAsn1(forge.asn1.fromDer(Buffer.from(d).toString('binary')));
  const pem = key.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
  const privateKey = forge.pki.privateKeyFromPem(pem);
  const p12 = forge.pkcs12.toPkcs12Asn1(privateKey, [key.certificate, ...key.chain].map(forgeCert), password, { algorithm: '3des' });
  return Buffer.from(forge.asn1.toDer(p12).getBytes(), 'binary');
}
