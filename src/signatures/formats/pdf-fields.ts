import { PDFArray, PDFDict, PDFDocument, PDFName, PDFNumber, PDFRef } from 'pdf-lib';
import { catalogOf, deref, dictOf, getArray, getDict, getName, getNumber, getText, refKey } from './pdf-structure.js';

/** A terminal form field of the AcroForm, with its widgets. */
export interface PdfField {
  ref: PDFRef | undefined;
  dict: PDFDict;
  /** Fully qualified name (parent names joined with "."). */
  name: string;
  /** Field type, inherited from the parents when absent (Sig, Tx, Btn, Ch). */
  type: string | undefined;
  widgets: PDFDict[];
}

/** Every terminal field reachable from the catalog's /AcroForm /Fields (cycles and bad entries skipped). */
export function formFields(doc: PDFDocument): PdfField[] {
  const ctx = doc.context;
  const catalog = catalogOf(doc).dict;
  const acroForm = catalog && getDict(ctx, catalog, 'AcroForm');
  const fields = acroForm && getArray(ctx, acroForm, 'Fields');
  const out: PdfField[] = [];
  const seen = new Set<string>();
  const walk = (entry: unknown, parentName: string, parentType: string | undefined, depth: number): void => {
    if (depth > 32) return;
    const ref = entry instanceof PDFRef ? entry : undefined;
    if (ref) {
      if (seen.has(refKey(ref))) return;
      seen.add(refKey(ref));
    }
    const dict = dictOf(ctx, entry as PDFRef);
    if (!dict) return;
    const partial = getText(ctx, dict, 'T');
    const name = partial === undefined ? parentName : parentName ? `${parentName}.${partial}` : partial;
    const type = getName(ctx, dict, 'FT') ?? parentType;
    const kids = getArray(ctx, dict, 'Kids');
    const kidEntries = kids ? kids.asArray() : [];
    const childFields = kidEntries.filter((k) => dictOf(ctx, k)?.has(PDFName.of('T')));
    if (childFields.length > 0) {
      for (const k of childFields) walk(k, name, type, depth + 1);
      return;
    }
    const widgets = kidEntries.map((k) => dictOf(ctx, k)).filter((d): d is PDFDict => !!d);
    if (getName(ctx, dict, 'Subtype') === 'Widget' || widgets.length === 0) widgets.unshift(dict);
    out.push({ ref, dict, name, type, widgets });
  };
  for (const f of fields?.asArray() ?? []) walk(f, '', undefined, 0);
  return out;
}

/** A widget shows on a page: it has a non-empty /Rect and is neither Hidden nor NoView. */
export function isVisibleWidget(doc: PDFDocument, widget: PDFDict): boolean {
  const ctx = doc.context;
  const rect = getArray(ctx, widget, 'Rect');
  const flags = getNumber(ctx, widget, 'F') ?? 0;
  if (!rect || rect.size() !== 4 || flags & 0b100010) return false;
  const n = rect.asArray().map((o) => {
    const v = deref(ctx, o);
    return v instanceof PDFNumber ? v.asNumber() : 0;
  });
  return Math.abs(n[2] - n[0]) > 0 && Math.abs(n[3] - n[1]) > 0;
}

/** A signature dictionary found in the document, with the field that holds it (if any). */
export interface PdfSignatureEntry {
  sigRef: PDFRef | undefined;
  sig: PDFDict;
  fieldName: string | null;
  visible: boolean;
}

const isSignatureDict = (d: PDFDict): boolean =>
  d.has(PDFName.of('ByteRange')) && d.has(PDFName.of('Contents')) && (d.has(PDFName.of('SubFilter')) || d.has(PDFName.of('Filter')));

/**
 * Every signature dictionary of the document: the /V of each signature field, then any other
 * object that is a signature dictionary (/ByteRange, /Contents, /SubFilter) but hangs off no field
 * (e.g. a broken AcroForm), so a signature is never silently skipped.
 */
export function findSignatures(doc: PDFDocument): PdfSignatureEntry[] {
  const ctx = doc.context;
  const out: PdfSignatureEntry[] = [];
  const seen = new Set<string>();
  for (const field of formFields(doc)) {
    if (field.type !== 'Sig') continue;
    const v = field.dict.get(PDFName.of('V'));
    const sig = dictOf(ctx, v);
    if (!sig || !isSignatureDict(sig)) continue;
    const sigRef = v instanceof PDFRef ? v : undefined;
    if (sigRef) {
      if (seen.has(refKey(sigRef))) continue;
      seen.add(refKey(sigRef));
    }
    out.push({ sigRef, sig, fieldName: field.name || null, visible: field.widgets.some((w) => isVisibleWidget(doc, w)) });
  }
  for (const [ref, obj] of ctx.enumerateIndirectObjects()) {
    if (!(obj instanceof PDFDict) || seen.has(refKey(ref)) || !isSignatureDict(obj)) continue;
    const type = getName(ctx, obj, 'Type');
    if (type !== undefined && type !== 'Sig' && type !== 'DocTimeStamp') continue;
    seen.add(refKey(ref));
    out.push({ sigRef: ref, sig: obj, fieldName: null, visible: false });
  }
  return out;
}

/** The DocMDP permission of a certification signature dictionary (its /Reference), or null. */
export function docMdpPermission(doc: PDFDocument, sig: PDFDict): 1 | 2 | 3 | null {
  const ctx = doc.context;
  const refs = getArray(ctx, sig, 'Reference');
  for (const r of refs?.asArray() ?? []) {
    const sigRef = dictOf(ctx, r);
    if (!sigRef || getName(ctx, sigRef, 'TransformMethod') !== 'DocMDP') continue;
    const params = getDict(ctx, sigRef, 'TransformParams');
    const p = params ? getNumber(ctx, params, 'P') : undefined;
    return p === 1 || p === 3 ? p : 2;
  }
  return null;
}

/** The numbers of a /ByteRange, or null if it is not an array of four integers. */
export function byteRangeOf(doc: PDFDocument, sig: PDFDict): [number, number, number, number] | null {
  const arr = deref(doc.context, sig.get(PDFName.of('ByteRange')));
  if (!(arr instanceof PDFArray) || arr.size() !== 4) return null;
  const n = arr.asArray().map((o) => {
    const v = deref(doc.context, o);
    return v instanceof PDFNumber ? v.asNumber() : NaN;
  });
  return n.every((x) => Number.isSafeInteger(x) && x >= 0) ? (n as [number, number, number, number]) : null;
}
