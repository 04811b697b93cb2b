import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import * as pkijs from 'pkijs';
import {
  assessAlgorithms,
  describeSignatureAlgorithm,
  digestOidFor,
  keyStrengthProblem,
  publicKeyFacts,
  verifyWithPublicKey,
  type AlgorithmAssessment,
  type PublicKeyFacts,
} from './algorithms.js';
import { formatName, nameValues, OID_COMMON_NAME, OID_EMAIL, OID_SERIAL_NUMBER, OID_UID } from './distinguished-names.js';
import type { CertificateInfo, CrlInfo, Indication, SignerInfo, SubIndication, VerificationContext } from '../report.js';
import { checkRevocation, serialHex } from './revocation.js';

export { assessAlgorithms } from './algorithms.js';

/** A certificate read once: its DER, pkijs structure, report form and public key. */
export interface ParsedCertificate {
  der: Uint8Array;
  cert: pkijs.Certificate;
  info: CertificateInfo;
  key: PublicKeyFacts;
}

/**
 * Certificates recur in every verification (trust anchors, the CAs' certificates in each
 * signature): each is parsed once and kept by its SHA-256. The parsed form is never modified.
 */
const parsed = new LRUCache<string, ParsedCertificate>({ max: 2000 });

export function parseCertificate(der: Uint8Array): ParsedCertificate {
  const sha256 = createHash('sha256').update(der).digest('hex');
  const hit = parsed.get(sha256);
  if (hit) return hit;
  const cert = pkijs.Certificate.fromBER(der);
  const result = { der, cert, info: describe(cert, sha256), key: publicKeyFacts(new Uint8Array(cert.subjectPublicKeyInfo.toSchema().toBER())) };
  parsed.set(sha256, result);
  return result;
}

function describe(cert: pkijs.Certificate, sha256: string): CertificateInfo {
  return {
    subject: formatName(cert.subject),
    issuer: formatName(cert.issuer),
    serialNumber: serialHex(cert.serialNumber),
    notBefore: cert.notBefore.value.toISOString(),
    notAfter: cert.notAfter.value.toISOString(),
    sha256,
  };
}

export function certificateInfo(der: Uint8Array): CertificateInfo {
  return parseCertificate(der).info;
}

const CCCD_PREFIXED = /(?:CCCD|CMND|CAN CUOC|CC)\s*[:-]\s*(\d{12})(?!\d)/i;
const TAX_CODE_PREFIXED = /MST\s*[:-]\s*(\d{10}(?:-\d{3})?)(?![\d-])/i;

/**
 * Who signed, from the subject: CN; the CCCD (12 digits) after a "CCCD:" / "CMND:" prefix in any
 * attribute, or alone in UID / serialNumber; the tax code after "MST:" or alone (10 or 10-3
 * digits) in UID; the e-mail address attribute or the subjectAltName rfc822Name.
 */
export function signerInfo(der: Uint8Array): SignerInfo {
  const { cert } = parseCertificate(der);
  const values = (type: string) => nameValues(cert.subject, type);
  const all = cert.subject.typesAndValues.map((tv) => nameValues(cert.subject, tv.type)).flat();
  const identifiers = [...values(OID_UID), ...values(OID_SERIAL_NUMBER)];
  const cccd = all.map((t) => CCCD_PREFIXED.exec(t)?.[1]).find(Boolean) ?? identifiers.find((t) => /^\d{12}$/.test(t)) ?? null;
  const taxCode = all.map((t) => TAX_CODE_PREFIXED.exec(t)?.[1]).find(Boolean) ?? values(OID_UID).find((t) => /^\d{10}(-\d{3})?$/.test(t)) ?? null;
  const altNames = (cert.extensions?.find((e) => e.extnID === '2.5.29.17')?.parsedValue as pkijs.AltName | undefined)?.altNames ?? [];
  const email = values(OID_EMAIL)[0] ?? (altNames.find((n) => n.type === 1)?.value as string | undefined) ?? null;
  return { name: values(OID_COMMON_NAME)[0] ?? null, subject: formatName(cert.subject), cccd, taxCode, email };
}

export interface SignerAssessment {
  indication: Indication;
  subIndication: SubIndication | null;
  messages: string[];
  chain: CertificateInfo[];
  crls: CrlInfo[];
}

interface Finding {
  indication: Exclude<Indication, 'TOTAL_PASSED'>;
  subIndication: SubIndication;
  message: string;
}

/** Which finding decides when there are several: failures first, then what retrying won't fix. */
const PRIORITY: SubIndication[] = [
  'REVOKED',
  'EXPIRED',
  'NOT_YET_VALID',
  'REVOKED_NO_POE',
  'REVOKED_CA_NO_POE',
  'OUT_OF_BOUNDS_NOT_REVOKED',
  'OUT_OF_BOUNDS_NO_POE',
  'CRYPTO_CONSTRAINTS_FAILURE_NO_POE',
  'TRY_LATER',
];

const BASIC_CONSTRAINTS = '2.5.29.19';
const KEY_USAGE = '2.5.29.15';
const MAX_PATH = 10;

const iso = (d: Date) => d.toISOString();

/** Whether a certificate may issue certificates: basicConstraints cA, and keyCertSign if it has a key usage. */
export function isCertificationAuthority(cert: pkijs.Certificate): boolean {
  const constraints = cert.extensions?.find((e) => e.extnID === BASIC_CONSTRAINTS)?.parsedValue as pkijs.BasicConstraints | undefined;
  const keyUsage = cert.extensions?.find((e) => e.extnID === KEY_USAGE)?.parsedValue as { valueBlock?: { valueHexView?: Uint8Array } } | undefined;
  const bits = keyUsage?.valueBlock?.valueHexView;
  return constraints?.cA === true && (!bits || ((bits[0] ?? 0) & 0x04) !== 0); // keyCertSign is bit 5
}

function signedBy(subject: ParsedCertificate, issuer: ParsedCertificate): boolean {
  const algorithm = describeSignatureAlgorithm(subject.cert.signatureAlgorithm);
  return verifyWithPublicKey(
    issuer.key.key,
    algorithm.oid,
    algorithm.digest,
    subject.cert.tbsView,
    subject.cert.signatureValue.valueBlock.valueHexView,
    algorithm.pss,
  );
}

type PathResult = { path: ParsedCertificate[] } | { path: ParsedCertificate[]; failure: Finding };

/**
 * The path from the signer up to a trust anchor: at each step an issuer (anchors first, then the
 * certificates that came with the signature) whose subject is the certificate's issuer name, whose
 * key verifies its signature and that may issue certificates (basicConstraints cA, keyCertSign).
 */
function buildPath(signer: ParsedCertificate, others: ParsedCertificate[], anchors: ParsedCertificate[]): PathResult {
  const path = [signer];
  const isAnchor = (c: ParsedCertificate) => anchors.some((a) => a.info.sha256 === c.info.sha256);
  const fail = (subIndication: SubIndication, message: string): PathResult => ({ path, failure: { indication: 'INDETERMINATE', subIndication, message } });
  let current = signer;
  while (!isAnchor(current)) {
    if (path.length > MAX_PATH) return fail('CERTIFICATE_CHAIN_GENERAL_FAILURE', 'Chuỗi chứng thư quá dài / Certificate chain too long');
    const candidates = [...anchors, ...others].filter((c) => !path.includes(c) && c.cert.subject.isEqual(current.cert.issuer));
    if (candidates.length === 0) {
      return fail(
        'NO_CERTIFICATE_CHAIN_FOUND',
        `Không tìm thấy chuỗi tới chứng thư gốc tin cậy (thiếu "${current.info.issuer}") / No chain to a trusted root (issuer "${current.info.issuer}" not found)`,
      );
    }
    const issuer = candidates.find((c) => signedBy(current, c));
    if (!issuer) {
      return fail(
        'CERTIFICATE_CHAIN_GENERAL_FAILURE',
        `Chữ ký trên chứng thư "${current.info.subject}" không hợp lệ / The signature on certificate "${current.info.subject}" does not verify`,
      );
    }
    if (!isAnchor(issuer) && !isCertificationAuthority(issuer.cert)) {
      return fail('CHAIN_CONSTRAINTS_FAILURE', `"${issuer.info.subject}" không phải là CA / "${issuer.info.subject}" is not a certification authority`);
    }
    path.push(issuer);
    current = issuer;
  }
  return { path };
}

function parseAll(ders: Uint8Array[]): ParsedCertificate[] {
  return ders.flatMap((der) => {
    try {
      return [parseCertificate(der)];
    } catch {
      return [];
    }
  });
}

/**
 * Whether the signing certificate supports the signature, following ETSI EN 319 102-1 §5 (X.509
 * certificate validation, past signature validation) the way the EU DSS reports a baseline-B
 * signature. The service's own proof of existence (POE) is ctx.proofOfExistence, the time it
 * received the file; the claimed signing time is the signer's word (CMS signingTime, PDF /M,
 * XAdES SigningTime) and is only trusted to condemn, never to rescue.
 *
 *  - No path to a trust anchor → INDETERMINATE / NO_CERTIFICATE_CHAIN_FOUND; a certificate
 *    signature in the path that does not verify → INDETERMINATE / CERTIFICATE_CHAIN_GENERAL_FAILURE;
 *    an issuer that is not a CA → INDETERMINATE / CHAIN_CONSTRAINTS_FAILURE. Nothing else is
 *    judged without a path.
 *  - Claimed signing time before the signer's notBefore (none claimed: validation time before it)
 *    → TOTAL_FAILED / NOT_YET_VALID. Claimed signing time after notAfter → TOTAL_FAILED / EXPIRED.
 *  - Signer expired at validation time: holds when POE ≤ notAfter (the signature existed while the
 *    certificate was valid); otherwise INDETERMINATE / OUT_OF_BOUNDS_NOT_REVOKED when the CRL was
 *    checked and does not list it, else OUT_OF_BOUNDS_NO_POE. An intermediate outside its validity
 *    at validation time with no POE inside it → INDETERMINATE / OUT_OF_BOUNDS_NO_POE.
 *  - Signer revoked: revocation time ≤ claimed signing time → TOTAL_FAILED / REVOKED; POE before
 *    the revocation → holds; otherwise INDETERMINATE / REVOKED_NO_POE. A revoked intermediate with
 *    no POE before its revocation → INDETERMINATE / REVOKED_CA_NO_POE.
 *  - A CRL that cannot be fetched or fails its own checks (issuer, signature, thisUpdate/nextUpdate),
 *    or no CRL distribution point → INDETERMINATE / TRY_LATER, naming the URL.
 *  - A weak key in the path (RSA < 2048, EC < 256) or MD5/SHA-1 in a certificate signature →
 *    INDETERMINATE / CRYPTO_CONSTRAINTS_FAILURE_NO_POE.
 * With several findings the first in PRIORITY decides (failures over what a retry cannot fix over
 * TRY_LATER); every finding is in `messages`.
 */
export async function assessSigningCertificate(
  signer: Uint8Array,
  otherCerts: Uint8Array[],
  claimedSigningTime: Date | null,
  ctx: VerificationContext,
): Promise<SignerAssessment> {
  const leaf = parseCertificate(signer);
  const built = buildPath(leaf, parseAll(otherCerts), parseAll(ctx.trustAnchors));
  const chain = built.path.map((c) => c.info);
  if ('failure' in built) {
    return { indication: built.failure.indication, subIndication: built.failure.subIndication, messages: [built.failure.message], chain, crls: [] };
  }
  const path = built.path;
  const findings: Finding[] = [];
  const notes: string[] = [];
  const poe = ctx.proofOfExistence;
  const vt = ctx.validationTime;

  // Validity of the signer's certificate at the claimed signing time and now.
  const [notBefore, notAfter] = [leaf.cert.notBefore.value, leaf.cert.notAfter.value];
  if ((claimedSigningTime ?? vt) < notBefore) {
    const when = claimedSigningTime
      ? `ký lúc ${iso(claimedSigningTime)} / signed at ${iso(claimedSigningTime)}`
      : `kiểm tra lúc ${iso(vt)} / checked at ${iso(vt)}`;
    findings.push({
      indication: 'TOTAL_FAILED',
      subIndication: 'NOT_YET_VALID',
      message: `Chứng thư chưa có hiệu lực trước ${iso(notBefore)} (${when}) / Certificate not valid before ${iso(notBefore)}`,
    });
  }
  if (claimedSigningTime && claimedSigningTime > notAfter) {
    findings.push({
      indication: 'TOTAL_FAILED',
      subIndication: 'EXPIRED',
      message: `Chứng thư đã hết hạn lúc ${iso(notAfter)}, trước thời điểm ký ${iso(claimedSigningTime)} / Certificate expired at ${iso(notAfter)}, before the signing time ${iso(claimedSigningTime)}`,
    });
  }
  const expiredNow = vt > notAfter;

  // Intermediates' validity (trust anchors are trusted as configured).
  for (const ca of path.slice(1, -1)) {
    const [from, to] = [ca.cert.notBefore.value, ca.cert.notAfter.value];
    const validAt = (t: Date) => t >= from && t <= to;
    if (!validAt(vt) && !(poe && validAt(poe))) {
      findings.push({
        indication: 'INDETERMINATE',
        subIndication: 'OUT_OF_BOUNDS_NO_POE',
        message: `Chứng thư CA "${ca.info.subject}" ngoài thời hạn hiệu lực / CA certificate "${ca.info.subject}" outside its validity period`,
      });
    }
  }

  // Revocation of every certificate below the anchor, from its issuer's CRL.
  const crls: CrlInfo[] = [];
  let signerCheckedNotRevoked = false;
  const anchorIndex = path.length - 1;
  for (let i = 0; i < anchorIndex; i++) {
    const { status, crls: consulted } = await checkRevocation(path[i].cert, path[i + 1].cert, ctx);
    crls.push(...consulted);
    if (status.kind === 'UNKNOWN') {
      findings.push({ indication: 'INDETERMINATE', subIndication: 'TRY_LATER', message: status.message });
      continue;
    }
    if (status.kind === 'GOOD') {
      if (i === 0) signerCheckedNotRevoked = true;
      continue;
    }
    const revokedAt = `${iso(status.at)}${status.reason ? ` (${status.reason})` : ''}`;
    const subject = path[i].info.subject;
    if (i === 0 && claimedSigningTime && status.at <= claimedSigningTime) {
      findings.push({
        indication: 'TOTAL_FAILED',
        subIndication: 'REVOKED',
        message: `Chứng thư bị thu hồi lúc ${revokedAt}, trước khi ký / Certificate revoked at ${revokedAt}, before signing`,
      });
    } else if (poe && poe < status.at) {
      notes.push(
        `Chứng thư "${subject}" bị thu hồi lúc ${revokedAt}, sau khi hệ thống nhận văn bản (${iso(poe)}) / Certificate revoked at ${revokedAt}, after the service received the document (${iso(poe)})`,
      );
    } else if (i === 0) {
      findings.push({
        indication: 'INDETERMINATE',
        subIndication: 'REVOKED_NO_POE',
        message: `Chứng thư bị thu hồi lúc ${revokedAt}, không có bằng chứng chữ ký có trước đó / Certificate revoked at ${revokedAt}, no proof the signature existed before`,
      });
    } else {
      findings.push({
        indication: 'INDETERMINATE',
        subIndication: 'REVOKED_CA_NO_POE',
        message: `Chứng thư CA "${subject}" bị thu hồi lúc ${revokedAt} / CA certificate "${subject}" revoked at ${revokedAt}`,
      });
    }
  }

  if (expiredNow) {
    if (poe && poe <= notAfter) {
      notes.push(
        `Chứng thư hết hạn lúc ${iso(notAfter)}, nhưng hệ thống đã nhận văn bản lúc ${iso(poe)} / Certificate expired at ${iso(notAfter)}, but the service received the document at ${iso(poe)}`,
      );
    } else {
      findings.push({
        indication: 'INDETERMINATE',
        subIndication: signerCheckedNotRevoked ? 'OUT_OF_BOUNDS_NOT_REVOKED' : 'OUT_OF_BOUNDS_NO_POE',
        message: `Chứng thư đã hết hạn lúc ${iso(notAfter)}, không có bằng chứng chữ ký có trước đó / Certificate expired at ${iso(notAfter)}, no proof the signature existed before`,
      });
    }
  }

  // Cryptographic constraints on what is signed in the path, and on the signer's own key.
  for (let i = 0; i < anchorIndex; i++) {
    const algorithm = describeSignatureAlgorithm(path[i].cert.signatureAlgorithm);
    const issuerKey = path[i + 1].key;
    const assessment = assessAlgorithms({
      digestOid: algorithm.digest ? digestOidFor(algorithm.digest) : '',
      signatureOid: algorithm.oid,
      keyType: issuerKey.keyType,
      keyBits: issuerKey.keyBits,
    });
    if (!assessment.ok) {
      findings.push({
        indication: 'INDETERMINATE',
        subIndication: 'CRYPTO_CONSTRAINTS_FAILURE_NO_POE',
        message: `Chứng thư "${path[i].info.subject}": ${assessment.message}`,
      });
    }
  }
  const weakSignerKey = keyStrengthProblem(leaf.key.keyType, leaf.key.keyBits);
  if (weakSignerKey) findings.push({ indication: 'INDETERMINATE', subIndication: 'CRYPTO_CONSTRAINTS_FAILURE_NO_POE', message: weakSignerKey });

  const decisive = [...findings].sort((a, b) => PRIORITY.indexOf(a.subIndication) - PRIORITY.indexOf(b.subIndication))[0];
  const messages = [...findings.map((f) => f.message), ...notes];
  if (!decisive) return { indication: 'TOTAL_PASSED', subIndication: null, messages, chain, crls };
  return { indication: decisive.indication, subIndication: decisive.subIndication, messages, chain, crls };
}

/**
 * Adds the verdict of the algorithm policy on the signature itself (assessAlgorithms on its digest,
 * signature algorithm and the signer's key) to a certificate assessment: a policy failure makes it
 * INDETERMINATE / CRYPTO_CONSTRAINTS_FAILURE_NO_POE unless something more decisive was found.
 */
export function applyAlgorithmAssessment(assessment: SignerAssessment, algorithms: AlgorithmAssessment): SignerAssessment {
  if (algorithms.ok) return assessment;
  const messages = [algorithms.message!, ...assessment.messages];
  const crypto: SubIndication = 'CRYPTO_CONSTRAINTS_FAILURE_NO_POE';
  // Path failures are not in PRIORITY (index -1): they come before everything else.
  const moreDecisive = assessment.subIndication !== null && PRIORITY.indexOf(assessment.subIndication) <= PRIORITY.indexOf(crypto);
  if (assessment.indication === 'TOTAL_FAILED' || moreDecisive) return { ...assessment, messages };
  return { ...assessment, indication: 'INDETERMINATE', subIndication: crypto, messages };
}
