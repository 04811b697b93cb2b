import { createHash, createPublicKey, verify as verifySignatureValue, constants, type KeyObject } from 'node:crypto';
import * as pkijs from 'pkijs';

/**
 * The algorithms a signature, certificate or CRL may use, by OID, and the motcua policy on them
 * (DOMAIN.md: RSA ≥ 2048 or ECDSA ≥ 256, SHA-2). Verification goes through node:crypto, so the
 * same code checks CMS signature values, certificate signatures and CRL signatures.
 */

export type DigestName = 'MD5' | 'SHA-1' | 'SHA-224' | 'SHA-256' | 'SHA-384' | 'SHA-512';
export type KeyType = 'RSA' | 'EC' | 'OTHER';

export const DIGEST_OIDS: Record<string, DigestName> = {
  '1.2.840.113549.2.5': 'MD5',
  '1.3.14.3.2.26': 'SHA-1',
  '2.16.840.1.101.3.4.2.4': 'SHA-224',
  '2.16.840.1.101.3.4.2.1': 'SHA-256',
  '2.16.840.1.101.3.4.2.2': 'SHA-384',
  '2.16.840.1.101.3.4.2.3': 'SHA-512',
};

export const RSA_ENCRYPTION_OID = '1.2.840.113549.1.1.1';
export const RSA_PSS_OID = '1.2.840.113549.1.1.10';
export const EC_PUBLIC_KEY_OID = '1.2.840.10045.2.1';

interface SignatureAlgorithm {
  signature: 'RSA' | 'RSA-PSS' | 'ECDSA';
  /** The digest the OID itself names (null: it comes from elsewhere, e.g. the CMS digestAlgorithm). */
  digest: DigestName | null;
}

export const SIGNATURE_OIDS: Record<string, SignatureAlgorithm> = {
  [RSA_ENCRYPTION_OID]: { signature: 'RSA', digest: null },
  '1.2.840.113549.1.1.4': { signature: 'RSA', digest: 'MD5' },
  '1.2.840.113549.1.1.5': { signature: 'RSA', digest: 'SHA-1' },
  '1.2.840.113549.1.1.14': { signature: 'RSA', digest: 'SHA-224' },
  '1.2.840.113549.1.1.11': { signature: 'RSA', digest: 'SHA-256' },
  '1.2.840.113549.1.1.12': { signature: 'RSA', digest: 'SHA-384' },
  '1.2.840.113549.1.1.13': { signature: 'RSA', digest: 'SHA-512' },
  [RSA_PSS_OID]: { signature: 'RSA-PSS', digest: null },
  [EC_PUBLIC_KEY_OID]: { signature: 'ECDSA', digest: null },
  '1.2.840.10045.4.1': { signature: 'ECDSA', digest: 'SHA-1' },
  '1.2.840.10045.4.3.1': { signature: 'ECDSA', digest: 'SHA-224' },
  '1.2.840.10045.4.3.2': { signature: 'ECDSA', digest: 'SHA-256' },
  '1.2.840.10045.4.3.3': { signature: 'ECDSA', digest: 'SHA-384' },
  '1.2.840.10045.4.3.4': { signature: 'ECDSA', digest: 'SHA-512' },
};

/** OIDs for signing: `${keyType}/${digest}` → signature algorithm OID. */
export function signatureOidFor(keyType: 'RSA' | 'EC', digest: DigestName): string {
  const wanted = keyType === 'RSA' ? 'RSA' : 'ECDSA';
  const oid = Object.entries(SIGNATURE_OIDS).find(([, a]) => a.signature === wanted && a.digest === digest)?.[0];
  if (!oid) throw new Error(`No ${keyType} signature algorithm with ${digest}`);
  return oid;
}

export function digestOidFor(digest: DigestName): string {
  return Object.entries(DIGEST_OIDS).find(([, d]) => d === digest)![0];
}

/** The node:crypto hash name ('sha256') of a digest. */
export function nodeHashName(digest: DigestName): string {
  return digest.replace('-', '').toLowerCase();
}

/** The digest of content given in one or more parts (a PDF byte range has two). */
export function digestParts(digest: DigestName, content: Uint8Array | Uint8Array[]): Buffer {
  const hash = createHash(nodeHashName(digest));
  for (const part of Array.isArray(content) ? content : [content]) hash.update(part);
  return hash.digest();
}

const CURVE_BITS: Record<string, number> = { prime256v1: 256, secp256k1: 256, secp384r1: 384, secp521r1: 521, 'P-256': 256, 'P-384': 384, 'P-521': 521 };

export interface PublicKeyFacts {
  key: KeyObject;
  keyType: KeyType;
  keyBits: number | null;
}

/** Loads a SubjectPublicKeyInfo (DER) and tells its type and size. */
export function publicKeyFacts(spki: Uint8Array): PublicKeyFacts {
  const key = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'rsa' || key.asymmetricKeyType === 'rsa-pss') {
    return { key, keyType: 'RSA', keyBits: details.modulusLength ?? null };
  }
  if (key.asymmetricKeyType === 'ec') {
    return { key, keyType: 'EC', keyBits: CURVE_BITS[details.namedCurve ?? ''] ?? null };
  }
  return { key, keyType: 'OTHER', keyBits: null };
}

export interface AlgorithmAssessment {
  ok: boolean;
  names: { digest: string | null; signature: string | null; keyBits: number | null };
  message?: string;
}

const WEAK_DIGESTS: ReadonlySet<string> = new Set(['MD5', 'SHA-1']);
const MIN_BITS: Record<'RSA' | 'EC', number> = { RSA: 2048, EC: 256 };

/** Why a key is too weak for the policy (RSA < 2048, EC < 256, other types), or null when it is fine. */
export function keyStrengthProblem(keyType: KeyType, keyBits: number | null): string | null {
  if (keyType === 'OTHER') return 'Loại khóa không được hỗ trợ / Unsupported key type';
  const min = MIN_BITS[keyType];
  if (keyBits !== null && keyBits >= min) return null;
  const bits = keyBits ?? '?';
  return `Khóa ${keyType} ${bits} bit, tối thiểu ${min} bit / ${keyType} key of ${bits} bits, at least ${min} required`;
}

/** An AlgorithmIdentifier's OID with the digest it implies (for RSA-PSS, from its parameters). */
export function describeSignatureAlgorithm(algorithm: pkijs.AlgorithmIdentifier): {
  oid: string;
  digest: DigestName | null;
  pss?: { digest: DigestName; saltLength: number };
} {
  const oid = algorithm.algorithmId;
  if (oid !== RSA_PSS_OID) return { oid, digest: SIGNATURE_OIDS[oid]?.digest ?? null };
  try {
    const params = new pkijs.RSASSAPSSParams({ schema: algorithm.algorithmParams });
    const digest = DIGEST_OIDS[params.hashAlgorithm.algorithmId] ?? null;
    return { oid, digest, pss: digest ? { digest, saltLength: params.saltLength } : undefined };
  } catch {
    return { oid, digest: null };
  }
}

/**
 * The motcua algorithm policy (`digestOid` may be '' when the signature algorithm names the digest,
 * as in certificates): SHA-2 digests only (no MD5 or SHA-1, whether named by the digest
 * algorithm or implied by the signature algorithm), RSA keys of at least 2048 bits, EC keys of at
 * least 256 bits; anything unknown fails.
 */
export function assessAlgorithms(a: { digestOid: string; signatureOid: string; keyType: KeyType; keyBits: number | null }): AlgorithmAssessment {
  const signature = SIGNATURE_OIDS[a.signatureOid] ?? null;
  const digest = signature?.digest ?? DIGEST_OIDS[a.digestOid] ?? null;
  const names = { digest: digest ?? a.digestOid, signature: signature?.signature ?? a.signatureOid, keyBits: a.keyBits };
  const problems: string[] = [];
  const named = [DIGEST_OIDS[a.digestOid], signature?.digest].filter((d): d is DigestName => !!d);
  const weak = named.find((d) => WEAK_DIGESTS.has(d));
  if (weak) problems.push(`${weak} không còn an toàn / ${weak} is no longer considered secure`);
  else if (!digest || (a.digestOid && !DIGEST_OIDS[a.digestOid]))
    problems.push(`Thuật toán băm không được hỗ trợ (${a.digestOid}) / Unsupported digest algorithm (${a.digestOid})`);
  if (!signature) problems.push(`Thuật toán ký không được hỗ trợ (${a.signatureOid}) / Unsupported signature algorithm (${a.signatureOid})`);
  const keyProblem = keyStrengthProblem(a.keyType, a.keyBits);
  if (keyProblem) problems.push(keyProblem);
  return problems.length === 0 ? { ok: true, names } : { ok: false, names, message: problems.join('; ') };
}

/**
 * Checks a signature value over `data` with a public key. `signatureOid` names the algorithm;
 * `digest` is used when the OID does not imply one (rsaEncryption / ecPublicKey in CMS), and for
 * RSA-PSS `pssParams` gives hash and salt length. Returns false for anything that does not verify,
 * including unsupported algorithms.
 */
export function verifyWithPublicKey(
  key: KeyObject,
  signatureOid: string,
  digest: DigestName | null,
  data: Uint8Array,
  signature: Uint8Array,
  pssParams?: { digest: DigestName; saltLength: number },
): boolean {
  const algorithm = SIGNATURE_OIDS[signatureOid];
  if (!algorithm) return false;
  const hash = algorithm.signature === 'RSA-PSS' ? pssParams?.digest : (algorithm.digest ?? digest);
  if (!hash) return false;
  try {
    if (algorithm.signature === 'ECDSA') {
      return verifySignatureValue(nodeHashName(hash), data, { key, dsaEncoding: 'der' }, signature);
    }
    if (algorithm.signature === 'RSA-PSS') {
      return verifySignatureValue(nodeHashName(hash), data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: pssParams!.saltLength }, signature);
    }
    return verifySignatureValue(nodeHashName(hash), data, { key, padding: constants.RSA_PKCS1_PADDING }, signature);
  } catch {
    return false;
  }
}
