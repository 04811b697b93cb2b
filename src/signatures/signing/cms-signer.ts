import { createPrivateKey, createPublicKey, sign as signValue, type KeyObject } from 'node:crypto';
import * as asn1js from 'asn1js';
import forge from 'node-forge';
import * as pkijs from 'pkijs';
import { OID } from '../formats/cms-oids.js';
import { digestOidFor, digestParts, nodeHashName, signatureOidFor } from '../trust/algorithms.js';
import type { SigningKey } from '../trust/signing-key.js';
import { SignatureErrors } from '../signatures.errors.js';

export type CmsDigest = 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512';

/** DER of a parsed-from-DER value as a fresh Uint8Array. */
export function toDer(schema: { toBER(): ArrayBuffer }): Uint8Array {
  return new Uint8Array(schema.toBER());
}

function parseCertificate(der: Uint8Array): pkijs.Certificate {
  return pkijs.Certificate.fromBER(der);
}

/**
 * ESS signing-certificate-v2 (RFC 5035): binds the signature to the signer's certificate by its
 * SHA-256 hash (the default algorithm, so not encoded) and issuer/serial.
 */
function signingCertificateV2(certificate: Uint8Array): asn1js.Sequence {
  const cert = parseCertificate(certificate);
  const issuerSerial = new asn1js.Sequence({
    value: [
      new asn1js.Sequence({ value: [new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 4 }, value: [cert.issuer.toSchema()] })] }),
      cert.serialNumber,
    ],
  });
  const essCertIdV2 = new asn1js.Sequence({ value: [new asn1js.OctetString({ valueHex: digestParts('SHA-256', certificate) }), issuerSerial] });
  return new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [essCertIdV2] })] });
}

/** RFC 5652: UTCTime for 1950–2049, GeneralizedTime otherwise. */
function signingTimeValue(time: Date): asn1js.UTCTime | asn1js.GeneralizedTime {
  const year = time.getUTCFullYear();
  return year >= 1950 && year < 2050 ? new asn1js.UTCTime({ valueDate: time }) : new asn1js.GeneralizedTime({ valueDate: time });
}

function keyTypeOf(key: KeyObject): 'RSA' | 'EC' {
  if (key.asymmetricKeyType === 'rsa') return 'RSA';
  if (key.asymmetricKeyType === 'ec') return 'EC';
  throw new Error(`Unsupported key type for CMS signing: ${key.asymmetricKeyType}`);
}

/**
 * A detached CMS SignedData (RFC 5652) over `content` (its parts concatenated), as PAdES baseline B
 * and CAdES-B want it: signed attributes contentType, messageDigest, ESS signing-certificate-v2 and,
 * when `signingTime` is given, signingTime (PAdES puts the time in the PDF's /M instead, so the PDF
 * signer may leave it out); certificates = the leaf and its chain. RSA (PKCS#1 v1.5) and ECDSA.
 */
export async function signCmsDetached(
  content: Uint8Array | Uint8Array[],
  key: SigningKey,
  opts: { signingTime?: Date; digest?: CmsDigest; timestamp?: SignatureTimestamper } = {},
): Promise<Uint8Array> {
  return signCms(content, key, opts);
}

/**
 * A CMS SignedData that carries its content (eContent) of the given type, e.g. an RFC 3161
 * timestamp token (TSTInfo); otherwise as signCmsDetached.
 */
export async function signCmsEncapsulated(content: Uint8Array, contentType: string, key: SigningKey, opts: { digest?: CmsDigest } = {}): Promise<Uint8Array> {
  return signCms(content, key, { ...opts, encapsulated: contentType });
}

/**
 * Asks a time-stamping authority for a token over a digest (RFC 3161), e.g. over a signature value
 * to make a CAdES/PAdES B-T signature.
 */
export type SignatureTimestamper = (imprint: TimestampImprint) => Promise<Uint8Array>;

/** What a timestamp must cover: a digest (of a signature value, or of a PDF's byte ranges). */
export interface TimestampImprint {
  digest: 'SHA-256';
  hash: Uint8Array;
}

async function signCms(
  content: Uint8Array | Uint8Array[],
  key: SigningKey,
  opts: { signingTime?: Date; digest?: CmsDigest; encapsulated?: string; timestamp?: SignatureTimestamper },
): Promise<Uint8Array> {
  const digest = opts.digest ?? 'SHA-256';
  const contentType = opts.encapsulated ?? OID.data;
  const keyType = keyTypeOf(key.privateKey);
  const leaf = parseCertificate(key.certificate);
  const attribute = (type: string, value: asn1js.AsnType) => new pkijs.Attribute({ type, values: [value] });
  const signedAttributes = [
    attribute(OID.contentType, new asn1js.ObjectIdentifier({ value: contentType })),
    attribute(OID.messageDigest, new asn1js.OctetString({ valueHex: digestParts(digest, content) })),
    ...(opts.signingTime ? [attribute(OID.signingTime, signingTimeValue(opts.signingTime))] : []),
    attribute(OID.signingCertificateV2, signingCertificateV2(key.certificate)),
  ];
  const signerInfo = new pkijs.SignerInfo({
    version: 1,
    sid: new pkijs.IssuerAndSerialNumber({ issuer: leaf.issuer, serialNumber: leaf.serialNumber }),
    digestAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: digestOidFor(digest), algorithmParams: new asn1js.Null() }),
    signatureAlgorithm: new pkijs.AlgorithmIdentifier(
      keyType === 'RSA' ? { algorithmId: signatureOidFor('RSA', digest), algorithmParams: new asn1js.Null() } : { algorithmId: signatureOidFor('EC', digest) },
    ),
    signedAttrs: new pkijs.SignedAndUnsignedAttributes({ type: 0, attributes: signedAttributes }),
  });
  // What is signed is the DER of the attributes as a SET OF (tag 0x31), not the [0] IMPLICIT field.
  const toBeSigned = toDer(signerInfo.signedAttrs!.toSchema());
  toBeSigned[0] = 0x31;
  const signature = signValue(nodeHashName(digest), toBeSigned, keyType === 'EC' ? { key: key.privateKey, dsaEncoding: 'der' } : key.privateKey);
  signerInfo.signature = new asn1js.OctetString({ valueHex: signature });
  if (opts.timestamp) {
    // B-T: the TSA's token over the signature value, as the unsigned signature-time-stamp attribute.
    const token = await opts.timestamp({ digest: 'SHA-256', hash: digestParts('SHA-256', new Uint8Array(signature)) });
    signerInfo.unsignedAttrs = new pkijs.SignedAndUnsignedAttributes({
      type: 1,
      attributes: [attribute(OID.signatureTimeStampToken, pkijs.ContentInfo.fromBER(token).toSchema())],
    });
  }

  const signedData = new pkijs.SignedData({
    // RFC 5652 5.1: version 3 when the content is of another type than id-data.
    version: opts.encapsulated && opts.encapsulated !== OID.data ? 3 : 1,
    digestAlgorithms: [signerInfo.digestAlgorithm],
    encapContentInfo: new pkijs.EncapsulatedContentInfo(
      opts.encapsulated
        ? { eContentType: contentType, eContent: new asn1js.OctetString({ valueHex: Buffer.concat(Array.isArray(content) ? content : [content]) }) }
        : { eContentType: OID.data },
    ),
    certificates: [leaf, ...key.chain.map(parseCertificate)],
    signerInfos: [signerInfo],
  });
  return toDer(new pkijs.ContentInfo({ contentType: OID.signedData, content: signedData.toSchema(true) }).toSchema());
}

/**
 * A SigningKey from a PKCS#12 (.p12/.pfx) file: the key, the certificate that matches it and the
 * other certificates as its chain (ordered from the leaf's issuer upwards). RSA and EC keys.
 */
export function loadPkcs12(p12: Uint8Array, password: string): SigningKey {
  let pfx: forge.pkcs12.Pkcs12Pfx;
  try {
    const asn1 = forge.asn1.fromDer(forge.util.createBuffer(Buffer.from(p12).toString('binary')));
    pfx = forge.pkcs12.pkcs12FromAsn1(asn1, false, password);
  } catch (e) {
    const message = (e as Error).message ?? '';
    if (/MAC could not be verified|Invalid password|decrypt/i.test(message)) {
      throw SignatureErrors.PKCS12_WRONG_PASSWORD();
    }
    throw SignatureErrors.PKCS12_INVALID('Tệp PKCS#12 không hợp lệ', 'Invalid PKCS#12 file', { reason: message });
  }
  const keyBags = [
    ...(pfx.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag })[forge.pki.oids.pkcs8ShroudedKeyBag] ?? []),
    ...(pfx.getBags({ bagType: forge.pki.oids.keyBag })[forge.pki.oids.keyBag] ?? []),
  ];
  const certificates = (pfx.getBags({ bagType: forge.pki.oids.certBag })[forge.pki.oids.certBag] ?? [])
    .map((bag) => (bag.cert ? forge.asn1.toDer(forge.pki.certificateToAsn1(bag.cert)) : bag.asn1 ? forge.asn1.toDer(bag.asn1) : null))
    .filter((d): d is forge.util.ByteStringBuffer => d !== null)
    .map((d) => new Uint8Array(Buffer.from(d.getBytes(), 'binary')));
  const bag = keyBags[0];
  if (!bag || certificates.length === 0) {
    throw SignatureErrors.PKCS12_INVALID('Tệp PKCS#12 thiếu khóa hoặc chứng thư', 'The PKCS#12 file lacks a key or a certificate');
  }
  // node-forge only understands RSA keys; for others it leaves the decrypted PrivateKeyInfo in asn1.
  const privateKeyInfo = bag.key ? forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(bag.key)) : bag.asn1;
  const privateKey = createPrivateKey({ key: Buffer.from(forge.asn1.toDer(privateKeyInfo).getBytes(), 'binary'), format: 'der', type: 'pkcs8' });
  return orderChain(privateKey, certificates);
}

/** The certificate whose public key matches the private key, then its issuers in order. */
function orderChain(privateKey: KeyObject, certificates: Uint8Array[]): SigningKey {
  const ownSpki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  const parsed = certificates.map((der) => ({ der, cert: parseCertificate(der) }));
  const leaf = parsed.find((c) => Buffer.from(c.cert.subjectPublicKeyInfo.toSchema().toBER()).equals(ownSpki));
  if (!leaf) {
    throw SignatureErrors.PKCS12_INVALID('Không có chứng thư khớp với khóa', 'No certificate matches the private key');
  }
  const chain: Uint8Array[] = [];
  let current = leaf;
  for (;;) {
    const issuer = parsed.find((c) => c !== current && !chain.includes(c.der) && c.cert.subject.isEqual(current.cert.issuer));
    if (!issuer || issuer.cert.subject.isEqual(issuer.cert.issuer)) break; // stop before a self-signed root
    chain.push(issuer.der);
    current = issuer;
  }
  return { privateKey, certificate: leaf.der, chain };
}
