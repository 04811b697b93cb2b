import { createHash } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { OID } from './cms-oids.js';
import { assessAlgorithms, describeSignatureAlgorithm, DIGEST_OIDS, digestParts, verifyWithPublicKey } from '../trust/algorithms.js';
import { applyAlgorithmAssessment, assessSigningCertificate, parseCertificate, signerInfo, type ParsedCertificate } from '../trust/certificates.js';
import type { Indication, SignatureResult, SubIndication, VerificationContext } from '../report.js';
import { serialHex } from '../trust/revocation.js';

const SUBJECT_KEY_IDENTIFIER = '2.5.29.14';

type Meta = { index: number; format: SignatureResult['format']; claimedSigningTime?: Date | null };

function result(
  meta: Meta,
  indication: Indication,
  subIndication: SubIndication | null,
  messages: string[],
  rest: Partial<SignatureResult> = {},
): SignatureResult {
  return {
    index: meta.index,
    format: meta.format,
    indication,
    subIndication,
    messages,
    signer: null,
    certificate: null,
    signingTime: meta.claimedSigningTime?.toISOString() ?? null,
    algorithms: { digest: null, signature: null, keyBits: null },
    evidence: { chain: [], crls: [] },
    pdf: null,
    ...rest,
  };
}

function attributeValue(signer: pkijs.SignerInfo, type: string): asn1js.AsnType | null {
  return signer.signedAttrs?.attributes.find((a) => a.type === type)?.values[0] ?? null;
}

function signingTimeOf(signer: pkijs.SignerInfo): Date | null {
  const value = attributeValue(signer, OID.signingTime);
  return value instanceof asn1js.UTCTime || value instanceof asn1js.GeneralizedTime ? value.toDate() : null;
}

/** The certificate the signer identifier (issuer and serial, or subject key identifier) names. */
function findSignerCertificate(signer: pkijs.SignerInfo, certificates: ParsedCertificate[]): ParsedCertificate | null {
  const sid = signer.sid as pkijs.IssuerAndSerialNumber | asn1js.Primitive;
  if (sid instanceof pkijs.IssuerAndSerialNumber) {
    const serial = serialHex(sid.serialNumber);
    return certificates.find((c) => c.cert.issuer.isEqual(sid.issuer) && c.info.serialNumber === serial) ?? null;
  }
  const keyId = Buffer.from(sid.valueBlock.valueHexView);
  return (
    certificates.find((c) => {
      const ski = c.cert.extensions?.find((e) => e.extnID === SUBJECT_KEY_IDENTIFIER)?.parsedValue as asn1js.OctetString | undefined;
      return ski && keyId.equals(ski.valueBlock.valueHexView);
    }) ?? null
  );
}

/**
 * Whether an ESS signing-certificate(-v2) attribute, when present, names this certificate (by its
 * hash): it stops a signer certificate from being swapped for another with the same key.
 */
function matchesSigningCertificateAttribute(signer: pkijs.SignerInfo, certificate: ParsedCertificate): boolean {
  const v2 = attributeValue(signer, OID.signingCertificateV2);
  const v1 = attributeValue(signer, OID.signingCertificate);
  const attribute = v2 ?? v1;
  if (!attribute) return true;
  const firstId = ((attribute as asn1js.Sequence).valueBlock.value[0] as asn1js.Sequence).valueBlock.value[0] as asn1js.Sequence;
  const parts = firstId.valueBlock.value;
  let digest = v2 ? 'sha256' : 'sha1';
  let hash = parts[0];
  if (v2 && parts[0] instanceof asn1js.Sequence) {
    const name = DIGEST_OIDS[(parts[0].valueBlock.value[0] as asn1js.ObjectIdentifier).valueBlock.toString()];
    if (!name) return false;
    digest = name.replace('-', '').toLowerCase();
    hash = parts[1];
  }
  const expected = createHash(digest).update(certificate.der).digest();
  return hash instanceof asn1js.OctetString && expected.equals(hash.valueBlock.valueHexView);
}

/**
 * Verifies a detached CMS SignedData over `signedContent` (its parts concatenated, e.g. a PDF's
 * byte range) and reports it in ETSI EN 319 102-1 terms. Never throws:
 *  - unreadable CMS → TOTAL_FAILED / FORMAT_FAILURE;
 *  - messageDigest ≠ digest of the content → TOTAL_FAILED / HASH_FAILURE;
 *  - signer certificate not in the CMS (or not the one its signing-certificate attribute names)
 *    → INDETERMINATE / NO_SIGNING_CERTIFICATE_FOUND;
 *  - signature value does not verify → TOTAL_FAILED / SIG_CRYPTO_FAILURE;
 *  - then the certificate's path, validity and revocation (assessSigningCertificate) and the
 *    algorithm policy (assessAlgorithms).
 * Signing time: the CMS signingTime attribute, else meta.claimedSigningTime (a PDF's /M).
 * Only the first SignerInfo is verified (PDF and CAdES signatures carry one).
 */
export async function verifyCmsDetached(
  cms: Uint8Array,
  signedContent: Uint8Array | Uint8Array[],
  ctx: VerificationContext,
  meta: Meta,
): Promise<SignatureResult> {
  let signedData: pkijs.SignedData;
  let signer: pkijs.SignerInfo;
  let certificates: ParsedCertificate[];
  try {
    const contentInfo = pkijs.ContentInfo.fromBER(cms);
    if (contentInfo.contentType !== OID.signedData) throw new Error('not SignedData');
    signedData = new pkijs.SignedData({ schema: contentInfo.content });
    signer = signedData.signerInfos[0];
    if (!signer) throw new Error('no SignerInfo');
    certificates = (signedData.certificates ?? [])
      .filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate)
      .map((c) => parseCertificate(new Uint8Array(c.toSchema().toBER())));
  } catch {
    return result(meta, 'TOTAL_FAILED', 'FORMAT_FAILURE', ['Chữ ký không đúng định dạng CMS / The signature is not a readable CMS SignedData']);
  }
  try {
    return await verifySigner(signer, certificates, signedContent, ctx, meta);
  } catch (e) {
    return result(meta, 'TOTAL_FAILED', 'FORMAT_FAILURE', [`Chữ ký không đúng định dạng / Malformed signature: ${(e as Error).message}`]);
  }
}

async function verifySigner(
  signer: pkijs.SignerInfo,
  certificates: ParsedCertificate[],
  signedContent: Uint8Array | Uint8Array[],
  ctx: VerificationContext,
  meta: Meta,
): Promise<SignatureResult> {
  const signingTime = signingTimeOf(signer) ?? meta.claimedSigningTime ?? null;
  const base = { signingTime: signingTime?.toISOString() ?? null };
  const digestOid = signer.digestAlgorithm.algorithmId;
  const digest = DIGEST_OIDS[digestOid];
  if (!digest) {
    return result(
      meta,
      'INDETERMINATE',
      'CRYPTO_CONSTRAINTS_FAILURE_NO_POE',
      [`Thuật toán băm không được hỗ trợ (${digestOid}) / Unsupported digest algorithm (${digestOid})`],
      base,
    );
  }
  const contentDigest = digestParts(digest, signedContent);
  const parts = Array.isArray(signedContent) ? signedContent : [signedContent];
  let toBeSigned: Uint8Array;
  if (signer.signedAttrs) {
    const messageDigest = attributeValue(signer, OID.messageDigest);
    if (!(messageDigest instanceof asn1js.OctetString) || !attributeValue(signer, OID.contentType)) {
      return result(
        meta,
        'TOTAL_FAILED',
        'FORMAT_FAILURE',
        ['Thiếu thuộc tính contentType hoặc messageDigest / Missing contentType or messageDigest attribute'],
        base,
      );
    }
    if (!contentDigest.equals(messageDigest.valueBlock.valueHexView)) {
      return result(
        meta,
        'TOTAL_FAILED',
        'HASH_FAILURE',
        ['Nội dung đã bị thay đổi sau khi ký / The content was changed after signing (digest mismatch)'],
        base,
      );
    }
    // Signed attributes are signed as the DER SET OF they were sent as (tag 0x31, not [0]).
    toBeSigned = new Uint8Array(signer.signedAttrs.encodedValue.slice(0));
    toBeSigned[0] = 0x31;
  } else {
    toBeSigned = Buffer.concat(parts);
  }

  const certificate = findSignerCertificate(signer, certificates);
  if (!certificate || !matchesSigningCertificateAttribute(signer, certificate)) {
    return result(
      meta,
      'INDETERMINATE',
      'NO_SIGNING_CERTIFICATE_FOUND',
      ['Không tìm thấy chứng thư của người ký trong chữ ký / The signing certificate is not in the signature'],
      base,
    );
  }
  const algorithm = describeSignatureAlgorithm(signer.signatureAlgorithm);
  const algorithms = assessAlgorithms({ digestOid, signatureOid: algorithm.oid, keyType: certificate.key.keyType, keyBits: certificate.key.keyBits });
  const found = { ...base, signer: signerInfo(certificate.der), certificate: certificate.info, algorithms: algorithms.names };
  if (!verifyWithPublicKey(certificate.key.key, algorithm.oid, digest, toBeSigned, signer.signature.valueBlock.valueHexView, algorithm.pss)) {
    return result(meta, 'TOTAL_FAILED', 'SIG_CRYPTO_FAILURE', ['Giá trị chữ ký không hợp lệ / The signature value does not verify'], found);
  }

  // A signature timestamp that holds proves the signature existed at its time: the earlier of that
  // and the service's own receipt is the proof of existence the certificate is judged with.
  const timestamp = await signatureTimestamp(signer, ctx, meta);
  let judgedWith = ctx;
  if (timestamp?.indication === 'TOTAL_PASSED') {
    const time = new Date(timestamp.time);
    judgedWith = { ...ctx, proofOfExistence: ctx.proofOfExistence && ctx.proofOfExistence < time ? ctx.proofOfExistence : time };
  }
  const others = certificates.filter((c) => c !== certificate).map((c) => c.der);
  const assessment = applyAlgorithmAssessment(await assessSigningCertificate(certificate.der, others, signingTime, judgedWith), algorithms);
  const messages = timestamp
    ? [
        ...assessment.messages,
        timestamp.indication === 'TOTAL_PASSED'
          ? `Có dấu thời gian hợp lệ lúc ${timestamp.time} / Signature timestamp at ${timestamp.time} holds: proof the signature existed then`
          : `Dấu thời gian của chữ ký không hợp lệ (${timestamp.subIndication}), không được dùng / The signature timestamp does not hold (${timestamp.subIndication}) and is not used`,
      ]
    : assessment.messages;
  return result(meta, assessment.indication, assessment.subIndication, messages, {
    ...found,
    timestamp,
    evidence: { chain: assessment.chain, crls: assessment.crls },
  });
}

/** The signature-time-stamp attribute of `signer`, verified (its imprint is the signature value's digest), or null without one. */
async function signatureTimestamp(signer: pkijs.SignerInfo, ctx: VerificationContext, meta: Meta): Promise<SignatureResult['timestamp']> {
  const token = signer.unsignedAttrs?.attributes.find((a) => a.type === OID.signatureTimeStampToken)?.values[0];
  if (!token) return null;
  const verified = await verifyTimestampToken(new Uint8Array(token.toBER()), [new Uint8Array(signer.signature.valueBlock.valueHexView)], ctx, {
    index: meta.index,
    format: meta.format,
  });
  return { time: verified.signingTime ?? '', tsa: verified.signer?.name ?? null, indication: verified.indication, subIndication: verified.subIndication };
}

/**
 * An RFC 3161 timestamp token (a PDF document timestamp, /SubFilter /ETSI.RFC3161) over
 * `imprinted`: its TSTInfo must carry the digest of those bytes (else HASH_FAILURE), and the token
 * is a CMS signature of the TSA over the TSTInfo, verified like any other (path, validity at the
 * time it states, CRLs, algorithms). The time it states (genTime) is the result's signing time.
 */
export async function verifyTimestampToken(token: Uint8Array, imprinted: Uint8Array[], ctx: VerificationContext, meta: Meta): Promise<SignatureResult> {
  let tst: pkijs.TSTInfo;
  let content: Uint8Array;
  try {
    const contentInfo = pkijs.ContentInfo.fromBER(token);
    if (contentInfo.contentType !== OID.signedData) throw new Error('not SignedData');
    const encapsulated = new pkijs.SignedData({ schema: contentInfo.content }).encapContentInfo;
    if (encapsulated.eContentType !== OID.tstInfo || !encapsulated.eContent) throw new Error('not a TSTInfo');
    content = new Uint8Array(encapsulated.eContent.getValue());
    tst = pkijs.TSTInfo.fromBER(content);
  } catch {
    return result(meta, 'TOTAL_FAILED', 'FORMAT_FAILURE', ['Dấu thời gian không đúng định dạng RFC 3161 / The timestamp is not a readable RFC 3161 token']);
  }
  const at = { claimedSigningTime: tst.genTime };
  const digest = DIGEST_OIDS[tst.messageImprint.hashAlgorithm.algorithmId];
  if (!digest) {
    return result({ ...meta, ...at }, 'INDETERMINATE', 'CRYPTO_CONSTRAINTS_FAILURE_NO_POE', [
      `Thuật toán băm của dấu thời gian không được hỗ trợ / Unsupported timestamp digest (${tst.messageImprint.hashAlgorithm.algorithmId})`,
    ]);
  }
  if (!digestParts(digest, imprinted).equals(tst.messageImprint.hashedMessage.valueBlock.valueHexView)) {
    return result({ ...meta, ...at }, 'TOTAL_FAILED', 'HASH_FAILURE', [
      'Dấu thời gian không khớp với nội dung / The timestamp does not cover this content (imprint mismatch)',
    ]);
  }
  const verified = await verifyCmsDetached(token, content, ctx, { ...meta, ...at });
  verified.signingTime = tst.genTime.toISOString();
  verified.messages.unshift(`Dấu thời gian của TSA lúc ${tst.genTime.toISOString()} / Timestamped by the TSA at ${tst.genTime.toISOString()}`);
  return verified;
}
