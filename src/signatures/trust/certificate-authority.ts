import 'reflect-metadata';
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, webcrypto, type KeyObject } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import forge from 'node-forge';
import * as pkijs from 'pkijs';
import type { SigningKey } from './signing-key.js';

/**
 * A small certificate authority: makes a root or a subordinate CA, issues signing certificates in
 * the shape Vietnamese CAs use (CN, UID=CCCD:… / MST:…, UTF8String), and signs CRLs. It stands in
 * for a real CA where the service needs one of its own: the demo (so the demo leaders can sign
 * results), the benchmarks and the tests. Never a substitute for a licensed CA in production.
 */

const DAY = 24 * 3600 * 1000;
const OID_UID = '0.9.2342.19200300.100.1.1';
const RSA_SHA = (hash: string) => ({ name: 'RSASSA-PKCS1-v1_5', hash });

export interface LeafOptions {
  commonName?: string;
  cccd?: string;
  taxCode?: string;
  email?: string;
  keyType?: 'RSA' | 'EC';
  /** RSA: 2048 by default; EC: 256 (P-256) or 384. */
  keyBits?: number;
  /** The hash the CA signs the certificate with. */
  hash?: 'SHA-1' | 'SHA-256';
  notBefore?: Date;
  notAfter?: Date;
  /** CRL distribution point written into the certificate. */
  crlUrl?: string;
}

export interface RevokedEntry {
  /** Hex serial number. */
  serial: string;
  at: Date;
}

type NameParts = { commonName: string; uid?: string[]; email?: string; organisation?: string };

export class CertificateAuthority {
  private constructor(
    readonly name: x509.Name,
    /** @internal the CA's private key */
    readonly key: KeyObject,
    /** @internal */
    readonly cert: x509.X509Certificate,
    /** Certificates above this CA up to its root (this CA's issuer first), DER; empty for a root. */
    private readonly above: Uint8Array[],
  ) {}

  /** This CA's certificate, DER. */
  get certificate(): Uint8Array {
    return new Uint8Array(this.cert.rawData);
  }

  /** A self-signed root, valid ten years either side of `now`. */
  static async root(commonName: string, opts: { now: Date; organisation?: string }): Promise<CertificateAuthority> {
    const key = rsaKey(2048);
    const subject = vietnameseName({ commonName, organisation: opts.organisation });
    const cert = await issue({
      subject,
      subjectKey: key,
      issuer: null,
      notBefore: new Date(opts.now.getTime() - 3650 * DAY),
      notAfter: new Date(opts.now.getTime() + 3650 * DAY),
      ca: true,
    });
    return new CertificateAuthority(subject, key, cert, []);
  }

  /** A CA under this one, its status published in the CRL at `crlUrl`. */
  async subordinate(commonName: string, opts: { now: Date; organisation?: string; crlUrl?: string }): Promise<CertificateAuthority> {
    const key = rsaKey(2048);
    const subject = vietnameseName({ commonName, organisation: opts.organisation });
    const cert = await issue({
      subject,
      subjectKey: key,
      issuer: this,
      notBefore: new Date(opts.now.getTime() - 3650 * DAY),
      notAfter: new Date(opts.now.getTime() + 3650 * DAY),
      ca: true,
      crlUrl: opts.crlUrl,
    });
    return new CertificateAuthority(subject, key, cert, [this.certificate, ...this.above]);
  }

  /** A signing certificate and its key (by default RSA 2048, valid from 30 days before `now` for a year). */
  async issueLeaf(opts: LeafOptions & { now: Date }): Promise<SigningKey> {
    const key =
      opts.keyType === 'EC' ? generateKeyPairSync('ec', { namedCurve: opts.keyBits === 384 ? 'P-384' : 'P-256' }).privateKey : rsaKey(opts.keyBits ?? 2048);
    const uid = [opts.cccd !== undefined || !opts.taxCode ? `CCCD:${opts.cccd ?? '001090000001'}` : null, opts.taxCode ? `MST:${opts.taxCode}` : null];
    const cert = await issue({
      subject: vietnameseName({ commonName: opts.commonName ?? 'Nguyễn Văn An', uid: uid.filter((u): u is string => !!u), email: opts.email }),
      subjectKey: key,
      issuer: this,
      notBefore: opts.notBefore ?? new Date(opts.now.getTime() - 30 * DAY),
      notAfter: opts.notAfter ?? new Date(opts.now.getTime() + 365 * DAY),
      ca: false,
      hash: opts.hash,
      crlUrl: opts.crlUrl,
      email: opts.email,
    });
    // The chain stops below the root: verifiers find the root among their trust anchors.
    const chain = this.above.length ? [this.certificate, ...this.above.slice(0, -1)] : [];
    return { privateKey: key, certificate: new Uint8Array(cert.rawData), chain };
  }

  /** This CA's CRL listing `revoked`, valid from `thisUpdate` for one day. */
  async crl(revoked: RevokedEntry[], thisUpdate: Date): Promise<Uint8Array> {
    const crl = await x509.X509CrlGenerator.create({
      issuer: this.name,
      thisUpdate,
      nextUpdate: new Date(thisUpdate.getTime() + DAY),
      entries: revoked.map((r) => ({ serialNumber: r.serial, revocationDate: r.at, reason: x509.X509CrlReason.keyCompromise })),
      signingKey: await webcryptoKey(this.key, 'SHA-256'),
      signingAlgorithm: RSA_SHA('SHA-256'),
    });
    return new Uint8Array(crl.rawData);
  }

  /** Whether this CA issued the certificate (by name). */
  issued(certificate: Uint8Array): boolean {
    return new x509.X509Certificate(certificate).issuer === this.cert.subject;
  }

  /** PKCS#8 of the CA key and its certificate, to keep the CA across restarts (see `restore`). */
  export(): { keyPem: string; certificatePem: string } {
    return { keyPem: this.key.export({ format: 'pem', type: 'pkcs8' }) as string, certificatePem: this.cert.toString('pem') };
  }

  /** A root CA saved with `export`. */
  static restore(saved: { keyPem: string; certificatePem: string }): CertificateAuthority {
    const cert = new x509.X509Certificate(saved.certificatePem);
    return new CertificateAuthority(cert.subjectName, createPrivateKey(saved.keyPem), cert, []);
  }
}

/** The serial number of a certificate, hex, as CRL entries name it. */
export function serialOf(certificate: Uint8Array): string {
  return new x509.X509Certificate(certificate).serialNumber;
}

/** A PKCS#12 file (3DES, as most Vietnamese tokens export) holding the key, leaf and chain. RSA keys only (node-forge). */
export function toPkcs12(key: SigningKey, password: string): Buffer {
  const forgeCert = (d: Uint8Array) => forge.pki.certificateFromAsn1(forge.asn1.fromDer(Buffer.from(d).toString('binary')));
  const pem = key.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
  const privateKey = forge.pki.privateKeyFromPem(pem);
  const p12 = forge.pkcs12.toPkcs12Asn1(privateKey, [key.certificate, ...key.chain].map(forgeCert), password, { algorithm: '3des' });
  return Buffer.from(forge.asn1.toDer(p12).getBytes(), 'binary');
}

/** PEM text of a DER certificate. */
export function certificatePem(der: Uint8Array): string {
  return new x509.X509Certificate(der).toString('pem') + '\n';
}

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
async function webcryptoKey(key: KeyObject, hash: string): Promise<any> {
  const pkcs8 = key.export({ format: 'der', type: 'pkcs8' });
  return webcrypto.subtle.importKey('pkcs8', pkcs8, RSA_SHA(hash), false, ['sign']);
}

function rsaKey(bits: number): KeyObject {
  return generateKeyPairSync('rsa', { modulusLength: bits }).privateKey;
}

function spkiOf(key: KeyObject): Buffer {
  return createPublicKey(key).export({ format: 'der', type: 'spki' });
}

async function issue(p: {
  subject: x509.Name;
  subjectKey: KeyObject;
  issuer: CertificateAuthority | null;
  notBefore: Date;
  notAfter: Date;
  ca: boolean;
  hash?: string;
  crlUrl?: string;
  email?: string;
}): Promise<x509.X509Certificate> {
  const issuer = p.issuer;
  const signer = issuer?.key ?? p.subjectKey;
  const publicKey = spkiOf(p.subjectKey);
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(p.ca, undefined, true),
    new x509.KeyUsagesExtension(
      p.ca ? x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign : x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation,
      true,
    ),
    await x509.SubjectKeyIdentifierExtension.create(publicKey),
  ];
  if (issuer) extensions.push(await x509.AuthorityKeyIdentifierExtension.create(issuer.cert));
  if (p.crlUrl) extensions.push(crlDistributionPoint(p.crlUrl));
  if (p.email) extensions.push(new x509.SubjectAlternativeNameExtension([{ type: 'email', value: p.email }]));
  return x509.X509CertificateGenerator.create({
    serialNumber: serialNumber(),
    subject: p.subject,
    issuer: issuer?.name ?? p.subject,
    notBefore: p.notBefore,
    notAfter: p.notAfter,
    publicKey,
    signingKey: await webcryptoKey(signer, p.hash ?? 'SHA-256'),
    signingAlgorithm: RSA_SHA(p.hash ?? 'SHA-256'),
    extensions,
  });
}
