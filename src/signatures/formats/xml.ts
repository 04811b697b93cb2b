import {
  X509Certificate,
  constants,
  createHash,
  createPrivateKey,
  createPublicKey,
  sign,
  verify,
  type BinaryLike,
  type KeyLike,
  type KeyObject,
} from 'node:crypto';
import { DOMParser, type Document, type Element, type Node as XmlNode } from '@xmldom/xmldom';
import { SignedXml, createOptionalCallbackFunction, type HashAlgorithm, type SignatureAlgorithm } from 'xml-crypto';
import {
  RSA_PSS_OID,
  SIGNATURE_OIDS,
  assessAlgorithms,
  digestOidFor,
  nodeHashName,
  publicKeyFacts,
  type DigestName,
  type KeyType,
} from '../trust/algorithms.js';
import { applyAlgorithmAssessment, assessSigningCertificate, certificateInfo, signerInfo, type SignerAssessment } from '../trust/certificates.js';
import { documentIndication, type DocumentReport, type Indication, type SignatureResult, type SubIndication, type VerificationContext } from '../report.js';
import { cap, LimitExceeded, limitReport, limitsOf } from './limits.js';

/**
 * XML Signature (XMLDSig, and the XAdES signing time) verification of an uploaded XML document,
 * reported in ETSI EN 319 102-1 terms. xml-crypto checks the references and the signature value;
 * everything it would take on trust (the key in KeyInfo, which elements an ID names, where a URI
 * points) is decided here first, and the signing certificate's path is then validated like any
 * other signer's. Nothing is fetched: a reference outside the document is refused, not followed.
 */

const DS = 'http://www.w3.org/2000/09/xmldsig#';
/** XAdES 1.3.2 (and its predecessor 1.1.1, still met in older signers) define SigningTime. */
const XADES = ['http://uri.etsi.org/01903/v1.3.2#', 'http://uri.etsi.org/01903/v1.1.1#'];
const ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';

const CANONICALIZATIONS: ReadonlySet<string> = new Set([
  'http://www.w3.org/TR/2001/REC-xml-c14n-20010315',
  'http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments',
  'http://www.w3.org/2001/10/xml-exc-c14n#',
  'http://www.w3.org/2001/10/xml-exc-c14n#WithComments',
]);
const TRANSFORMS: ReadonlySet<string> = new Set([...CANONICALIZATIONS, ENVELOPED]);

const DIGESTS: Record<string, DigestName> = {
  'http://www.w3.org/2000/09/xmldsig#sha1': 'SHA-1',
  'http://www.w3.org/2001/04/xmlenc#sha256': 'SHA-256',
  'http://www.w3.org/2001/04/xmldsig-more#sha384': 'SHA-384',
  'http://www.w3.org/2001/04/xmlenc#sha512': 'SHA-512',
};

/** XML Signature methods, as the OID of the same algorithm (SIGNATURE_OIDS gives its kind and digest). */
const SIGNATURE_METHOD_OIDS: Record<string, string> = {
  'http://www.w3.org/2000/09/xmldsig#rsa-sha1': '1.2.840.113549.1.1.5',
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256': '1.2.840.113549.1.1.11',
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha384': '1.2.840.113549.1.1.12',
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512': '1.2.840.113549.1.1.13',
  // RSASSA-PSS with SHA-256 and MGF1-SHA-256 (RFC 6931 section 2.3.10).
  'http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1': RSA_PSS_OID,
  'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha1': '1.2.840.10045.4.1',
  'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256': '1.2.840.10045.4.3.2',
  'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384': '1.2.840.10045.4.3.3',
  'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512': '1.2.840.10045.4.3.4',
};

type XmlSignatureKind = 'RSA' | 'RSA-PSS' | 'ECDSA';
interface SignatureMethod {
  oid: string;
  kind: XmlSignatureKind;
  digest: DigestName;
}

function signatureMethod(uri: string): SignatureMethod | null {
  const oid = SIGNATURE_METHOD_OIDS[uri];
  if (!oid) return null;
  const { signature, digest } = SIGNATURE_OIDS[oid];
  return { oid, kind: signature, digest: digest ?? 'SHA-256' };
}

/** The key options node:crypto needs for a kind of XML signature value (ECDSA values are r || s, not DER). */
function keyOptions(kind: XmlSignatureKind, key: KeyObject) {
  if (kind === 'ECDSA') return { key, dsaEncoding: 'ieee-p1363' as const };
  if (kind === 'RSA-PSS') return { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST };
  return { key, padding: constants.RSA_PKCS1_PADDING };
}

const asKey = (key: KeyLike, load: (k: string | Buffer) => KeyObject): KeyObject => (typeof key === 'string' || Buffer.isBuffer(key) ? load(key) : key);

function signatureAlgorithm(uri: string, method: SignatureMethod): new () => SignatureAlgorithm {
  const hash = nodeHashName(method.digest);
  return class {
    getSignature = createOptionalCallbackFunction((signedInfo: BinaryLike, privateKey: KeyLike) =>
      sign(hash, Buffer.from(signedInfo as string), keyOptions(method.kind, asKey(privateKey, createPrivateKey))).toString('base64'),
    );
    verifySignature = createOptionalCallbackFunction((material: string, key: KeyLike, value: string) => {
      try {
        return verify(hash, Buffer.from(material), keyOptions(method.kind, asKey(key, createPublicKey)), Buffer.from(value, 'base64'));
      } catch {
        return false; // e.g. an EC key for an RSA algorithm: the value does not verify
      }
    });
    getAlgorithmName = () => uri;
  } as new () => SignatureAlgorithm;
}

function hashAlgorithm(uri: string, digest: DigestName): new () => HashAlgorithm {
  return class {
    getHash = (xml: string) => createHash(nodeHashName(digest)).update(xml, 'utf8').digest('base64');
    getAlgorithmName = () => uri;
  };
}

/**
 * Gives a SignedXml exactly the algorithms listed above (ECDSA and SHA-384 included, which
 * xml-crypto lacks; HMAC never), for verifying and for signing (tests, and any XML the service
 * signs itself).
 */
export function useXmlAlgorithms(signedXml: SignedXml): SignedXml {
  signedXml.SignatureAlgorithms = Object.fromEntries(Object.keys(SIGNATURE_METHOD_OIDS).map((uri) => [uri, signatureAlgorithm(uri, signatureMethod(uri)!)]));
  signedXml.HashAlgorithms = Object.fromEntries(Object.entries(DIGESTS).map(([uri, d]) => [uri, hashAlgorithm(uri, d)]));
  return signedXml;
}

// ---------------------------------------------------------------------------------------------
// Outcomes

/** Ends the verification of a signature (or of the document, when thrown while reading it). */
class Verdict extends Error {
  constructor(
    readonly indication: Indication,
    readonly subIndication: SubIndication,
    message: string,
  ) {
    super(message);
  }
}
const formatFailure = (message: string) => new Verdict('TOTAL_FAILED', 'FORMAT_FAILURE', message);
const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

// ---------------------------------------------------------------------------------------------
// Reading the document

/** The document's text: UTF-8 (with or without a BOM) or UTF-16 (BOM, or detected from "<?"). */
function decodeText(bytes: Uint8Array): string {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let encoding = 'utf-8';
  let start = 0;
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) start = 3;
  else if (b[0] === 0xff && b[1] === 0xfe) [encoding, start] = ['utf-16le', 2];
  else if (b[0] === 0xfe && b[1] === 0xff) [encoding, start] = ['utf-16be', 2];
  else if (b[0] === 0x3c && b[1] === 0 && b[2] === 0x3f && b[3] === 0) encoding = 'utf-16le';
  else if (b[0] === 0 && b[1] === 0x3c && b[2] === 0 && b[3] === 0x3f) encoding = 'utf-16be';
  let text: string;
  try {
    text = new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(b.subarray(start));
  } catch {
    throw formatFailure(`Tệp không phải văn bản UTF-8 hoặc UTF-16 / The file is not UTF-8 or UTF-16 text`);
  }
  const declared = /^<\?xml[^>]*?\sencoding\s*=\s*["']([^"']*)["']/.exec(text)?.[1];
  if (declared && !/^(utf-?8|utf-?16(le|be)?|us-ascii|ascii)$/i.test(declared)) {
    throw formatFailure(`Bảng mã ${declared} không được hỗ trợ, chỉ UTF-8 hoặc UTF-16 / Encoding ${declared} is not supported, only UTF-8 or UTF-16`);
  }
  return text;
}

/** The document, or a FORMAT_FAILURE verdict when it is not well-formed XML (or has a DTD). */
function parseDocument(text: string): Document {
  const problems: string[] = [];
  let doc: Document | undefined;
  try {
    doc = new DOMParser({
      onError: (level, message) => {
        if (level !== 'warning') problems.push(message);
      },
    }).parseFromString(text, 'application/xml');
  } catch (e) {
    problems.push(errorText(e));
  }
  if (problems.length > 0 || !doc?.documentElement) {
    throw formatFailure(`Tệp XML không hợp lệ: ${problems[0] ?? 'trống'} / Not well-formed XML: ${problems[0] ?? 'empty'}`);
  }
  // A DTD can declare entities and ID attributes, changing what a reference points at; signed
  // e-forms have none, so a document that brings one is refused rather than interpreted.
  if (doc.doctype) throw formatFailure('Tài liệu XML có khai báo DOCTYPE, không được chấp nhận / XML with a DOCTYPE declaration is not accepted');
  return doc;
}

const elementChildren = (parent: Element, localName: string, ns = DS): Element[] =>
  Array.from(parent.childNodes).filter((n): n is Element => n.nodeType === 1 && (n as Element).namespaceURI === ns && (n as Element).localName === localName);

function descendants(root: Element | Document, localName: string, namespaces: string[]): Element[] {
  return namespaces.flatMap((ns) => Array.from(root.getElementsByTagNameNS(ns, localName)));
}

function single(parent: Element, localName: string): Element {
  const found = elementChildren(parent, localName);
  if (found.length !== 1) {
    throw formatFailure(
      `Chữ ký phải có đúng một phần tử ${localName} trong ${parent.localName} / A signature needs exactly one ${localName} in ${parent.localName}, found ${found.length}`,
    );
  }
  return found[0];
}

function algorithmOf(element: Element): string {
  const uri = element.getAttribute('Algorithm');
  if (!uri) throw formatFailure(`${element.localName} thiếu thuộc tính Algorithm / ${element.localName} lacks its Algorithm`);
  return uri;
}

const unsupported = (what: string, uri: string) => formatFailure(`Thuật toán ${what} không được hỗ trợ: ${uri} / Unsupported ${what} algorithm: ${uri}`);

interface ParsedReference {
  uri: string;
  transforms: string[];
  digest: DigestName;
}

interface ParsedSignature {
  signatureMethod: SignatureMethod;
  references: ParsedReference[];
  /** X509Certificate elements of KeyInfo, in document order. */
  certificates: X509Certificate[];
}

/** The parts of a ds:Signature this verifier relies on, checked for shape and supported algorithms. */
function readSignature(signature: Element): ParsedSignature {
  const signedInfo = single(signature, 'SignedInfo');
  const canonicalization = algorithmOf(single(signedInfo, 'CanonicalizationMethod'));
  if (!CANONICALIZATIONS.has(canonicalization)) throw unsupported('chuẩn hoá / canonicalization', canonicalization);
  const methodUri = algorithmOf(single(signedInfo, 'SignatureMethod'));
  const method = signatureMethod(methodUri);
  if (!method) throw unsupported('ký / signature', methodUri);
  const referenceElements = elementChildren(signedInfo, 'Reference');
  if (referenceElements.length === 0) throw formatFailure('Chữ ký không có tham chiếu (Reference) nào / The signature has no Reference');
  const references = referenceElements.map((ref): ParsedReference => {
    if (!ref.hasAttribute('URI')) throw formatFailure('Tham chiếu thiếu URI / A Reference lacks its URI');
    const transformsElement = elementChildren(ref, 'Transforms')[0];
    const transforms = transformsElement ? elementChildren(transformsElement, 'Transform').map(algorithmOf) : [];
    const unknown = transforms.find((t) => !TRANSFORMS.has(t));
    if (unknown) throw unsupported('biến đổi / transform', unknown);
    const digestUri = algorithmOf(single(ref, 'DigestMethod'));
    const digest = DIGESTS[digestUri];
    if (!digest) throw unsupported('băm / digest', digestUri);
    if (!single(ref, 'DigestValue').textContent?.trim()) throw formatFailure('DigestValue trống / Empty DigestValue');
    return { uri: ref.getAttribute('URI') ?? '', transforms, digest };
  });
  if (!/^[A-Za-z0-9+/=\s]+$/.test(single(signature, 'SignatureValue').textContent ?? '')) {
    throw formatFailure('SignatureValue trống hoặc không phải base64 / SignatureValue is empty or not base64');
  }
  const keyInfo = elementChildren(signature, 'KeyInfo')[0];
  const certificates = (keyInfo ? descendants(keyInfo, 'X509Certificate', [DS]) : []).map(readCertificate);
  return { signatureMethod: method, references, certificates };
}

function readCertificate(element: Element): X509Certificate {
  const base64 = (element.textContent ?? '').replace(/\s+/g, '');
  try {
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) throw new Error('not base64');
    return new X509Certificate(Buffer.from(base64, 'base64'));
  } catch {
    throw formatFailure('Không đọc được chứng thư số trong KeyInfo / A certificate in KeyInfo cannot be read');
  }
}

// ---------------------------------------------------------------------------------------------
// What a signature covers

const ID_ATTRIBUTES = ['Id', 'ID', 'id'];

/**
 * Every element by the value of its ID attributes (Id, ID, id in any namespace, as xml-crypto
 * resolves "#id"), built once per document in one pass, so resolving the references of every
 * signature is linear in the document's size rather than a scan of the tree per reference.
 * (xml-crypto, checking the digests afterwards, still finds each reference by an XPath scan of
 * its own; VERIFY_MAX_XML_REFERENCES and the verification time limit bound that.)
 */
export type IdIndex = Map<string, Element[]>;

export function indexIds(doc: Document): IdIndex {
  const index: IdIndex = new Map();
  for (const element of Array.from(doc.getElementsByTagName('*'))) {
    for (const attr of Array.from(element.attributes)) {
      if (!ID_ATTRIBUTES.includes(attr.localName ?? attr.name)) continue;
      const list = index.get(attr.value);
      if (list) list.push(element);
      else index.set(attr.value, [element]);
    }
  }
  return index;
}

/** The element a reference points at; refuses what xml-crypto could be misled by or would have to fetch. */
function referenceTarget(ref: ParsedReference, doc: Document, ids: IdIndex): Element {
  if (ref.uri === '') return doc.documentElement!;
  if (!ref.uri.startsWith('#')) {
    throw formatFailure(
      `Chữ ký tham chiếu dữ liệu ngoài tài liệu (${ref.uri}), không được tải về / The signature refers to data outside the document (${ref.uri}), which is not fetched`,
    );
  }
  const id = ref.uri.slice(1);
  if (id.startsWith('xpointer(') || !/^[\p{L}_][\p{L}\p{N}._-]*$/u.test(id)) {
    throw formatFailure(`Tham chiếu ${ref.uri} không được hỗ trợ, chỉ "" hoặc "#id" / Reference ${ref.uri} is not supported, only "" or "#id"`);
  }
  const found = ids.get(id) ?? [];
  if (found.length > 1) {
    throw formatFailure(
      `Mã định danh "${id}" xuất hiện ${found.length} lần: có thể là tấn công bọc chữ ký / ID "${id}" occurs ${found.length} times: possible signature wrapping`,
    );
  }
  if (found.length === 0) {
    throw new Verdict(
      'INDETERMINATE',
      'SIGNED_DATA_NOT_FOUND',
      `Không tìm thấy phần tử được ký ${ref.uri} / The signed element ${ref.uri} is not in the document`,
    );
  }
  return found[0];
}

const isWithin = (node: XmlNode | null, ancestor: Element): boolean => {
  for (let n = node; n; n = n.parentNode) if (n === ancestor) return true;
  return false;
};

function describeElement(element: Element): string {
  const id = ID_ATTRIBUTES.map((a) => element.getAttribute(a)).find((v) => v);
  return `<${element.tagName}${id ? ` Id="${id}"` : ''}>`;
}

/** One message naming what the signature's references cover, and what they leave out. */
function coverageMessage(signature: Element, refs: ParsedReference[], targets: Element[], doc: Document): string {
  const vi: string[] = [];
  const en: string[] = [];
  targets.forEach((target, i) => {
    if (refs[i].uri === '') {
      const enveloped = refs[i].transforms.includes(ENVELOPED);
      vi.push(enveloped ? 'toàn bộ tài liệu (trừ chính chữ ký)' : 'toàn bộ tài liệu');
      en.push(enveloped ? 'the whole document (except the signature itself)' : 'the whole document');
    } else if (target.localName === 'SignedProperties' && XADES.includes(target.namespaceURI ?? '')) {
      vi.push('các thuộc tính ký XAdES');
      en.push('the XAdES signed properties');
    } else if (isWithin(target, signature)) {
      vi.push(`phần tử ${describeElement(target)} trong chữ ký`);
      en.push(`element ${describeElement(target)} inside the signature`);
    } else {
      vi.push(`phần tử ${describeElement(target)}`);
      en.push(`element ${describeElement(target)}`);
    }
  });
  const root = doc.documentElement!;
  const wholeDocument = targets.some((t) => t === root);
  const rest = wholeDocument ? '' : '; phần còn lại của tài liệu không được ký';
  const restEn = wholeDocument ? '' : '; the rest of the document is not signed';
  return `Chữ ký bao trùm: ${vi.join(', ')}${rest} / The signature covers: ${en.join(', ')}${restEn}`;
}

// ---------------------------------------------------------------------------------------------
// XAdES signed properties

/** The XAdES SignedProperties of this signature, if a reference of its own covers them. */
function signedProperties(signature: Element, targets: Element[]): { element: Element | null; message: string | null } {
  const element = descendants(signature, 'SignedProperties', XADES)[0];
  if (!element) return { element: null, message: null };
  for (let n: XmlNode | null = element; n && n !== signature; n = n.parentNode) {
    if (targets.includes(n as Element)) return { element, message: null };
  }
  return {
    element: null,
    message:
      'Thuộc tính XAdES (thời điểm ký…) không được chữ ký bảo vệ nên bị bỏ qua / The XAdES properties (signing time…) are not covered by the signature and are ignored',
  };
}

const XS_DATE_TIME = /^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;

/** SigningTime of signed XAdES properties; xs:dateTime, read as UTC when it names no zone. */
function signingTime(properties: Element | null): { time: Date | null; message: string | null } {
  const text = properties ? descendants(properties, 'SigningTime', XADES)[0]?.textContent?.trim() : undefined;
  if (!text) return { time: null, message: null };
  const time = XS_DATE_TIME.test(text) ? new Date(/(Z|[+-]\d{2}:\d{2})$/.test(text) ? text : `${text}Z`) : null;
  if (time && !Number.isNaN(time.getTime())) return { time, message: null };
  return { time: null, message: `Thời điểm ký XAdES không đọc được (${text}) / Unreadable XAdES SigningTime (${text})` };
}

/**
 * The signing certificate among KeyInfo's: the one XAdES SigningCertificate names by digest when
 * the signed properties carry it, otherwise the one that issued none of the others (the leaf).
 * Without one, the verdict to give once the digests have been checked.
 */
function chooseSigner(certificates: X509Certificate[], properties: Element | null): X509Certificate | Verdict {
  if (certificates.length === 0) {
    return new Verdict(
      'INDETERMINATE',
      'NO_SIGNING_CERTIFICATE_FOUND',
      'Chữ ký không kèm chứng thư số (KeyInfo/X509Data) / The signature carries no certificate (KeyInfo/X509Data)',
    );
  }
  const named = properties ? descendants(properties, 'CertDigest', XADES) : [];
  if (named.length === 0) return certificates.find((c) => !certificates.some((other) => other !== c && other.checkIssued(c))) ?? certificates[0];
  for (const certDigest of named) {
    const digest = DIGESTS[elementChildren(certDigest, 'DigestMethod')[0]?.getAttribute('Algorithm') ?? ''];
    const value = elementChildren(certDigest, 'DigestValue')[0]?.textContent?.replace(/\s+/g, '');
    const match = digest && value ? certificates.find((c) => createHash(nodeHashName(digest)).update(c.raw).digest('base64') === value) : undefined;
    if (match) return match;
  }
  return new Verdict(
    'INDETERMINATE',
    'NO_SIGNING_CERTIFICATE_FOUND',
    'Chứng thư ký mà thuộc tính XAdES chỉ định không có trong KeyInfo / The signing certificate named by the XAdES properties is not in KeyInfo',
  );
}

// ---------------------------------------------------------------------------------------------
// Verification

const WEAKEST_FIRST: DigestName[] = ['MD5', 'SHA-1', 'SHA-224', 'SHA-256', 'SHA-384', 'SHA-512'];

async function verifySignature(
  index: number,
  signature: Element,
  doc: Document,
  ids: IdIndex,
  text: string,
  ctx: VerificationContext,
): Promise<SignatureResult> {
  const result: SignatureResult = {
    index,
    format: 'XMLDSig',
    indication: 'TOTAL_PASSED',
    subIndication: null,
    messages: [],
    signer: null,
    certificate: null,
    signingTime: null,
    algorithms: { digest: null, signature: null, keyBits: null },
    evidence: { chain: [], crls: [] },
    pdf: null,
  };
  try {
    const parsed = readSignature(signature);
    const method = parsed.signatureMethod;
    const weakestDigest = [method.digest, ...parsed.references.map((r) => r.digest)].sort((a, b) => WEAKEST_FIRST.indexOf(a) - WEAKEST_FIRST.indexOf(b))[0];
    result.algorithms = { digest: weakestDigest, signature: method.kind, keyBits: null };

    const targets = parsed.references.map((ref) => referenceTarget(ref, doc, ids));
    result.messages.push(coverageMessage(signature, parsed.references, targets, doc));
    const properties = signedProperties(signature, targets);
    if (properties.message) result.messages.push(properties.message);
    const time = signingTime(properties.element);
    if (time.message) result.messages.push(time.message);
    result.signingTime = time.time?.toISOString() ?? null;

    const signer = chooseSigner(parsed.certificates, properties.element);
    if (signer instanceof Verdict) {
      checkIntegrity(signature, text, parsed, targets, null); // a HASH_FAILURE says more than the missing certificate
      throw signer;
    }
    const facts = publicKeyFacts(signer.publicKey.export({ format: 'der', type: 'spki' }));
    result.signer = signerInfo(signer.raw);
    result.certificate = certificateInfo(signer.raw);
    result.algorithms.keyBits = facts.keyBits;
    checkIntegrity(signature, text, parsed, targets, { key: signer.publicKey, type: facts.keyType });

    const others = parsed.certificates.filter((c) => c !== signer).map((c) => new Uint8Array(c.raw));
    let assessed: SignerAssessment;
    try {
      assessed = await assessSigningCertificate(new Uint8Array(signer.raw), others, time.time, ctx);
    } catch (e) {
      throw new Verdict(
        'INDETERMINATE',
        'CERTIFICATE_CHAIN_GENERAL_FAILURE',
        `Không đánh giá được chứng thư ký: ${errorText(e)} / The signing certificate could not be assessed: ${errorText(e)}`,
      );
    }
    const algorithms = assessAlgorithms({
      digestOid: digestOidFor(weakestDigest),
      signatureOid: method.oid,
      keyType: facts.keyType,
      keyBits: facts.keyBits,
    });
    const verdict = applyAlgorithmAssessment(assessed, algorithms);
    Object.assign(result, { indication: verdict.indication, subIndication: verdict.subIndication, evidence: { chain: verdict.chain, crls: verdict.crls } });
    result.messages.push(...verdict.messages);
  } catch (e) {
    const verdict =
      e instanceof Verdict ? e : formatFailure(`Không xử lý được chữ ký: ${errorText(e)} / The signature could not be processed: ${errorText(e)}`);
    result.indication = verdict.indication;
    result.subIndication = verdict.subIndication;
    result.messages.push(verdict.message);
  }
  return result;
}

/**
 * The references' digests, then the signature value over SignedInfo with the chosen certificate's
 * key (never a key xml-crypto would pick from the document itself). Throws the verdict when they
 * do not hold; returns when there is no key after the digests held.
 */
function checkIntegrity(signature: Element, text: string, parsed: ParsedSignature, targets: Element[], key: { key: KeyObject; type: KeyType } | null): void {
  const signedXml = useXmlAlgorithms(new SignedXml({ publicCert: key?.key, getCertFromKeyInfo: () => null }));
  let valid: boolean;
  try {
    signedXml.loadSignature(signature as never);
    valid = signedXml.checkSignature(text);
  } catch (e) {
    const message = errorText(e);
    if (!key && /KeyInfo or publicCert or privateKey is required/.test(message)) return;
    if (key && /^invalid signature: the signature value/.test(message)) {
      const kind = parsed.signatureMethod.kind;
      const mismatch = (kind === 'ECDSA') !== (key.type === 'EC') ? ` (khóa ${key.type}, thuật toán ${kind} / ${key.type} key, ${kind} algorithm)` : '';
      throw new Verdict(
        'TOTAL_FAILED',
        'SIG_CRYPTO_FAILURE',
        `Giá trị chữ ký không khớp với khóa của chứng thư${mismatch} / The signature value does not verify with the certificate's key${mismatch}`,
      );
    }
    throw formatFailure(`Không kiểm tra được chữ ký: ${message} / The signature could not be checked: ${message}`);
  }
  if (valid) return;
  const failed = signedXml.getReferences().findIndex((r) => r.validationError);
  const [vi, en] =
    failed < 0
      ? ['một phần được ký', 'a signed part']
      : parsed.references[failed].uri === ''
        ? ['tài liệu', 'the document']
        : [describeElement(targets[failed]), describeElement(targets[failed])];
  throw new Verdict(
    'TOTAL_FAILED',
    'HASH_FAILURE',
    `Giá trị băm của ${vi} không khớp: nội dung đã bị thay đổi sau khi ký / The digest of ${en} does not match: the content was changed after signing`,
  );
}

/**
 * Verifies every XML Signature in `bytes`. Never throws: a file that is not well-formed XML
 * (UTF-8 or UTF-16) is TOTAL_FAILED / FORMAT_FAILURE without signatures, one without a
 * ds:Signature NO_SIGNATURE_FOUND; otherwise each signature has its own result, in document order.
 */
export async function verifyXml(bytes: Uint8Array, ctx: VerificationContext): Promise<DocumentReport> {
  const validationTime = ctx.validationTime.toISOString();
  const base = { format: 'XML' as const, validationTime };
  try {
    const text = decodeText(bytes);
    const doc = parseDocument(text);
    const elements = descendants(doc, 'Signature', [DS]);
    if (elements.length === 0) {
      return {
        ...base,
        indication: 'NO_SIGNATURE_FOUND',
        subIndication: null,
        messages: ['Tài liệu XML không có chữ ký số / The XML document carries no signature'],
        signatures: [],
      };
    }
    const limits = limitsOf(ctx);
    cap('SIGNATURES', elements.length, limits.maxSignatures);
    for (const element of elements) {
      const signedInfo = elementChildren(element, 'SignedInfo')[0];
      if (signedInfo) cap('XML_REFERENCES', elementChildren(signedInfo, 'Reference').length, limits.maxXmlReferences);
    }
    const ids = indexIds(doc);
    const signatures: SignatureResult[] = [];
    for (const [i, element] of elements.entries()) signatures.push(await verifySignature(i, element, doc, ids, text, ctx));
    return { ...base, indication: documentIndication(signatures), subIndication: null, messages: [], signatures };
  } catch (e) {
    if (e instanceof LimitExceeded) return limitReport('XML', validationTime, e.kind, e.max);
    const message = e instanceof Verdict ? e.message : `Không đọc được tệp XML: ${errorText(e)} / The XML file could not be read: ${errorText(e)}`;
    return { ...base, indication: 'TOTAL_FAILED', subIndication: 'FORMAT_FAILURE', messages: [message], signatures: [] };
  }
}
