import { createHash } from 'node:crypto';
import * as pkijs from 'pkijs';
import { describeSignatureAlgorithm, publicKeyFacts, verifyWithPublicKey } from './algorithms.js';
import { formatName } from './distinguished-names.js';
import { CrlUnavailable, type CrlInfo, type VerificationContext } from '../report.js';

/** A certificate's status according to its issuer's CRL. */
export type RevocationStatus =
  | { kind: 'GOOD' }
  | { kind: 'REVOKED'; at: Date; reason: string | null }
  /** No usable CRL: none named, none fetched, or none passed its own checks. */
  | { kind: 'UNKNOWN'; message: string };

const CRL_DISTRIBUTION_POINTS = '2.5.29.31';
const CRL_REASON = '2.5.29.21';
const KEY_USAGE = '2.5.29.15';
/** A CRL issued (thisUpdate) up to this long after the validation time is accepted: clocks differ. */
const CLOCK_SKEW_MS = 5 * 60 * 1000;

const REASONS = [
  'unspecified',
  'keyCompromise',
  'cACompromise',
  'affiliationChanged',
  'superseded',
  'cessationOfOperation',
  'certificateHold',
  'unused',
  'removeFromCRL',
  'privilegeWithdrawn',
  'aACompromise',
];

/** The http(s) URLs of a certificate's CRL distribution points. */
export function crlUrls(cert: pkijs.Certificate): string[] {
  const extension = cert.extensions?.find((e) => e.extnID === CRL_DISTRIBUTION_POINTS);
  const points = (extension?.parsedValue as pkijs.CRLDistributionPoints | undefined)?.distributionPoints ?? [];
  return points
    .flatMap((p) => (Array.isArray(p.distributionPoint) ? p.distributionPoint : []))
    .filter((name) => name.type === 6 && typeof name.value === 'string' && /^https?:\/\//i.test(name.value))
    .map((name) => name.value as string);
}

/** Serial numbers compare as integers: leading zero bytes do not count. */
export function serialHex(serial: pkijs.Certificate['serialNumber']): string {
  return Buffer.from(serial.valueBlock.valueHexView)
    .toString('hex')
    .replace(/^(00)+(?=.)/, '');
}

function mayIssueCrls(issuer: pkijs.Certificate): boolean {
  const keyUsage = issuer.extensions?.find((e) => e.extnID === KEY_USAGE)?.parsedValue as { valueBlock?: { valueHexView?: Uint8Array } } | undefined;
  const bits = keyUsage?.valueBlock?.valueHexView;
  return !bits || ((bits[0] ?? 0) & 0x02) !== 0; // cRLSign is bit 6
}

function reasonOf(entry: pkijs.RevokedCertificate): string | null {
  const extension = entry.crlEntryExtensions?.extensions.find((e) => e.extnID === CRL_REASON);
  const value = (extension?.parsedValue as { valueBlock?: { valueDec?: number } } | undefined)?.valueBlock?.valueDec;
  return value === undefined ? null : (REASONS[value] ?? String(value));
}

/** A CRL parsed and its signature checked against one issuer: what is needed to answer for any certificate of it. */
type CheckedCrl =
  | { ok: false; why: string }
  | {
      ok: true;
      issuer: pkijs.Certificate['issuer'];
      thisUpdate: Date;
      nextUpdate: Date | null;
      info: Omit<CrlInfo, 'url'>;
      revoked: Map<string, { at: Date; reason: string | null }>;
    };

/**
 * Parsed CRLs by the CRL's bytes (the CRL source hands out the same cached buffer until it
 * refetches, so this holds as long as that buffer lives) and the issuer's signature value. A
 * national CA's CRL can list hundreds of thousands of serials: parsed and verified once, looked up
 * by serial after.
 */
const checkedCrls = new WeakMap<Uint8Array, Map<string, CheckedCrl>>();

function checkCrl(der: Uint8Array, issuer: pkijs.Certificate): CheckedCrl {
  const issuerKey = Buffer.from(issuer.signatureValue.valueBlock.valueHexView).toString('base64');
  let byIssuer = checkedCrls.get(der);
  if (!byIssuer) checkedCrls.set(der, (byIssuer = new Map()));
  let checked = byIssuer.get(issuerKey);
  if (!checked) byIssuer.set(issuerKey, (checked = parseAndVerifyCrl(der, issuer)));
  return checked;
}

function parseAndVerifyCrl(der: Uint8Array, issuer: pkijs.Certificate): CheckedCrl {
  let crl: pkijs.CertificateRevocationList;
  try {
    crl = pkijs.CertificateRevocationList.fromBER(der);
  } catch {
    return { ok: false, why: 'không đọc được / cannot be parsed' };
  }
  const algorithm = describeSignatureAlgorithm(crl.signatureAlgorithm);
  const issuerKey = publicKeyFacts(new Uint8Array(issuer.subjectPublicKeyInfo.toSchema().toBER())).key;
  if (!crl.issuer.isEqual(issuer.subject)) return { ok: false, why: 'không do đơn vị cấp chứng thư phát hành / not issued by the certificate issuer' };
  if (
    !mayIssueCrls(issuer) ||
    !verifyWithPublicKey(issuerKey, algorithm.oid, algorithm.digest, crl.tbsView, crl.signatureValue.valueBlock.valueHexView, algorithm.pss)
  ) {
    return { ok: false, why: 'chữ ký của CRL không hợp lệ / its signature does not verify' };
  }
  const thisUpdate = crl.thisUpdate.value;
  const nextUpdate = crl.nextUpdate?.value ?? null;
  const revoked = new Map<string, { at: Date; reason: string | null }>();
  for (const entry of crl.revokedCertificates ?? []) revoked.set(serialHex(entry.userCertificate), { at: entry.revocationDate.value, reason: reasonOf(entry) });
  return {
    ok: true,
    issuer: crl.issuer,
    thisUpdate,
    nextUpdate,
    revoked,
    info: {
      issuer: formatName(crl.issuer),
      thisUpdate: thisUpdate.toISOString(),
      nextUpdate: nextUpdate?.toISOString() ?? null,
      sha256: createHash('sha256').update(der).digest('hex'),
    },
  };
}

/** Checks one CRL against its issuer and the validation time; returns what it says about `cert`, or why it is unusable. */
function readCrl(
  der: Uint8Array,
  url: string,
  cert: pkijs.Certificate,
  issuer: pkijs.Certificate,
  at: Date,
): { status: RevocationStatus; info: CrlInfo | null } {
  const unusable = (why: string) => ({ status: { kind: 'UNKNOWN' as const, message: `CRL ${url}: ${why}` }, info: null });
  const crl = checkCrl(der, issuer);
  if (!crl.ok) return unusable(crl.why);
  if (!crl.issuer.isEqual(cert.issuer)) return unusable('không do đơn vị cấp chứng thư phát hành / not issued by the certificate issuer');
  if (crl.thisUpdate.getTime() > at.getTime() + CLOCK_SKEW_MS)
    return unusable(`phát hành sau thời điểm kiểm tra / issued after the validation time (${crl.thisUpdate.toISOString()})`);
  if (crl.nextUpdate && crl.nextUpdate < at) return unusable(`đã hết hạn lúc ${crl.nextUpdate.toISOString()} / outdated since ${crl.nextUpdate.toISOString()}`);
  const info: CrlInfo = { ...crl.info, url };
  const entry = crl.revoked.get(serialHex(cert.serialNumber));
  if (!entry || entry.reason === 'removeFromCRL') return { status: { kind: 'GOOD' }, info };
  return { status: { kind: 'REVOKED', at: entry.at, reason: entry.reason }, info };
}

/**
 * The revocation status of `cert` from the CRLs at its distribution points (fetched through
 * ctx.crls), each checked against `issuer` (name, signature, cRLSign) and the validation time
 * (thisUpdate, nextUpdate). The first usable CRL decides; `crls` is the evidence.
 */
export async function checkRevocation(
  cert: pkijs.Certificate,
  issuer: pkijs.Certificate,
  ctx: Pick<VerificationContext, 'crls' | 'validationTime'>,
): Promise<{ status: RevocationStatus; crls: CrlInfo[] }> {
  const urls = crlUrls(cert);
  if (urls.length === 0) {
    return { status: { kind: 'UNKNOWN', message: 'Chứng thư không có điểm phân phối CRL / The certificate names no CRL distribution point' }, crls: [] };
  }
  const problems: string[] = [];
  for (const url of urls) {
    let der: Uint8Array;
    try {
      der = await ctx.crls.fetch(url, ctx.validationTime);
    } catch (e) {
      problems.push(e instanceof CrlUnavailable ? e.message : `CRL ${url} unavailable: ${(e as Error).message}`);
      continue;
    }
    const { status, info } = readCrl(der, url, cert, issuer, ctx.validationTime);
    if (info) return { status, crls: [info] };
    if (status.kind === 'UNKNOWN') problems.push(status.message);
  }
  return {
    status: {
      kind: 'UNKNOWN',
      message: `Không kiểm tra được tình trạng thu hồi, thử lại sau / Revocation status unavailable, try later: ${problems.join('; ')}`,
    },
    crls: [],
  };
}
