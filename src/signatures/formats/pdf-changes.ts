import { PDFArray, PDFDict, PDFDocument, PDFName, PDFObject, PDFRef, PDFStream } from 'pdf-lib';
import { formFields } from './pdf-fields.js';
import { catalogOf, deref, dictOf, getArray, getDict, getName, refKey, sameObject } from './pdf-structure.js';

/**
 * Which changes a later revision may make to a signed PDF, as the DocMDP permission P says:
 * 1 = none (only DSS/VRI validation data and document timestamps), 2 = also form fill-in and
 * signing, 3 = also annotations. A document without a certification signature follows level 3
 * (signatures, form fill-in, annotations); page content, resources, pages, or any other object
 * changed is never allowed.
 */
export type ChangeLevel = 1 | 2 | 3;

export interface ChangeAnalysis {
  verdict: 'ALLOWED' | 'NOT_ALLOWED';
  /** Vietnamese / English, one per kind of disallowed change. */
  problems: string[];
}

const name = (n: string): PDFName => PDFName.of(n);

/** Keys whose values differ between two dictionaries (absent on one side counts). */
function changedKeys(a: PDFDict, b: PDFDict): string[] {
  const keys = new Set([...a.keys(), ...b.keys()].map((k) => k.decodeText()));
  return [...keys].filter((k) => !sameObject(a.get(name(k)), b.get(name(k))));
}

/** Entries of an array as comparable strings (references as "n g R"). */
const entries = (arr: PDFArray | undefined): string[] => (arr ? arr.asArray().map((o) => o.toString()) : []);

/** Every indirect object reachable from `start` (the /DSS tree, an /AP tree, …). */
function reachable(doc: PDFDocument, start: PDFObject | undefined, into: Set<string>): void {
  const stack: PDFObject[] = start ? [start] : [];
  while (stack.length && into.size < 100_000) {
    const o = stack.pop()!;
    if (o instanceof PDFRef) {
      if (into.has(refKey(o))) continue;
      into.add(refKey(o));
      const v = doc.context.lookup(o);
      if (v) stack.push(v);
    } else if (o instanceof PDFDict) stack.push(...o.values());
    else if (o instanceof PDFArray) stack.push(...o.asArray());
    else if (o instanceof PDFStream) stack.push(o.dict);
  }
}

/** What each object of a revision is, as far as the rules care. */
interface Roles {
  catalog: string | undefined;
  acroForm: string | undefined;
  fieldsArray: string | undefined;
  pages: Map<string, number>; // page object → 1-based page number
  annotsArrays: Map<string, number>; // indirect /Annots array → page number
  contents: Map<string, number>; // content stream → page number
  fields: Map<string, 'Sig' | 'other'>; // field dictionaries and widgets
  annotations: Set<string>; // non-widget annotations
  appearances: Set<string>; // everything under the /AP of a widget or annotation
  free: Set<string>; // DSS tree, Info, XMP metadata: may change at any level
}

function pageList(doc: PDFDocument): [PDFRef, PDFDict][] {
  try {
    return doc.getPages().map((p) => [p.ref, p.node] as [PDFRef, PDFDict]);
  } catch {
    return [];
  }
}

function rolesOf(doc: PDFDocument): Roles {
  const ctx = doc.context;
  const { ref: catRef, dict: catalog } = catalogOf(doc);
  const acroFormObj = catalog?.get(name('AcroForm'));
  const acroForm = catalog && getDict(ctx, catalog, 'AcroForm');
  const fieldsObj = acroForm?.get(name('Fields'));
  const roles: Roles = {
    catalog: catRef && refKey(catRef),
    acroForm: acroFormObj instanceof PDFRef ? refKey(acroFormObj) : undefined,
    fieldsArray: fieldsObj instanceof PDFRef ? refKey(fieldsObj) : undefined,
    pages: new Map(),
    annotsArrays: new Map(),
    contents: new Map(),
    fields: new Map(),
    annotations: new Set(),
    appearances: new Set(),
    free: new Set(),
  };
  pageList(doc).forEach(([ref, page], i) => {
    roles.pages.set(refKey(ref), i + 1);
    const annots = page.get(name('Annots'));
    if (annots instanceof PDFRef) roles.annotsArrays.set(refKey(annots), i + 1);
    const contents = page.get(name('Contents'));
    const contentRefs =
      contents instanceof PDFRef
        ? [contents, ...(deref(ctx, contents) instanceof PDFArray ? (deref(ctx, contents) as PDFArray).asArray() : [])]
        : contents instanceof PDFArray
          ? contents.asArray()
          : [];
    for (const c of contentRefs) if (c instanceof PDFRef) roles.contents.set(refKey(c), i + 1);
    for (const a of getArray(ctx, page, 'Annots')?.asArray() ?? []) {
      const annot = dictOf(ctx, a);
      if (!annot) continue;
      if (a instanceof PDFRef && getName(ctx, annot, 'Subtype') !== 'Widget') roles.annotations.add(refKey(a));
      reachable(doc, annot.get(name('AP')), roles.appearances);
    }
  });
  for (const f of formFields(doc)) {
    const kind = f.type === 'Sig' ? 'Sig' : 'other';
    if (f.ref) roles.fields.set(refKey(f.ref), kind);
    for (const w of f.widgets) {
      reachable(doc, w.get(name('AP')), roles.appearances);
      const wref = ctx.getObjectRef(w);
      if (wref) roles.fields.set(refKey(wref), kind);
    }
  }
  reachable(doc, catalog?.get(name('DSS')), roles.free);
  const info = ctx.trailerInfo.Info;
  if (info instanceof PDFRef) roles.free.add(refKey(info));
  const metadata = catalog?.get(name('Metadata'));
  if (metadata instanceof PDFRef) roles.free.add(refKey(metadata));
  return roles;
}

/**
 * Compares the objects of the signed revision with those of the final one and judges every
 * difference against `level`. Objects that only exist in the final revision matter only through
 * the existing objects that point to them, so the judgement is on changed objects.
 */
export function analyseLaterChanges(signed: PDFDocument, final: PDFDocument, level: ChangeLevel): ChangeAnalysis {
  const problems = new Set<string>();
  const before = new Map(signed.context.enumerateIndirectObjects().map(([r, o]) => [refKey(r), o]));
  const oldRoles = rolesOf(signed);
  const newRoles = rolesOf(final);
  const fctx = final.context;

  if (oldRoles.catalog !== newRoles.catalog) problems.add('Danh mục gốc (/Root) của tài liệu đã bị thay thế / The document catalog (/Root) was replaced');

  /** A field or widget added to the document: only signature fields (document timestamps at P=1). */
  const addedField = (entry: PDFObject): void => {
    const dict = dictOf(fctx, entry);
    if (!dict) return;
    let type = getName(fctx, dict, 'FT');
    for (let p = getDict(fctx, dict, 'Parent'), i = 0; !type && p && i < 32; p = getDict(fctx, p, 'Parent'), i++) type = getName(fctx, p, 'FT');
    const isAnnotOnly = !type && getName(fctx, dict, 'Subtype') !== 'Widget';
    if (isAnnotOnly) {
      if (level < 3) problems.add('Chú thích mới đã được thêm (không được phép ở mức DocMDP này) / An annotation was added (not allowed at this DocMDP level)');
      return;
    }
    if (type !== 'Sig') {
      problems.add('Trường biểu mẫu mới (không phải chữ ký) đã được thêm / A new (non-signature) form field was added');
      return;
    }
    const v = getDict(fctx, dict, 'V');
    if (level === 1 && !(v && getName(fctx, v, 'Type') === 'DocTimeStamp'))
      problems.add(
        'Chữ ký mới được thêm sau chữ ký chứng thực không cho phép thay đổi (P=1) / A signature was added after a certification signature that allows no changes (P=1)',
      );
  };

  const checkAdded = (oldArr: PDFArray | undefined, newArr: PDFArray | undefined, what: 'fields' | 'annots'): void => {
    const old = new Set(entries(oldArr));
    const now = entries(newArr);
    if ([...old].some((e) => !now.includes(e)) && !(what === 'annots' && level === 3)) {
      problems.add(what === 'fields' ? 'Trường biểu mẫu đã bị xóa / A form field was removed' : 'Chú thích đã bị xóa / An annotation was removed');
    }
    (newArr?.asArray() ?? []).filter((e) => !old.has(e.toString())).forEach(addedField);
  };

  const checkAcroForm = (old: PDFDict | undefined, now: PDFDict | undefined): void => {
    if (!now) {
      if (old) problems.add('Biểu mẫu (/AcroForm) đã bị xóa / The form (/AcroForm) was removed');
      return;
    }
    for (const k of old ? changedKeys(old, now) : ['Fields']) {
      if (k === 'Fields') checkAdded(old && getArray(signed.context, old, 'Fields'), getArray(fctx, now, 'Fields'), 'fields');
      else if (!['SigFlags', 'DR', 'DA', 'NeedAppearances'].includes(k)) problems.add(`Biểu mẫu: /${k} đã bị thay đổi / Form: /${k} was changed`);
    }
  };

  for (const [ref, now] of fctx.enumerateIndirectObjects()) {
    const key = refKey(ref);
    const old = before.get(key);
    if (!old || sameObject(old, now)) continue;
    const oldDict = old instanceof PDFDict ? old : undefined;
    const newDict = now instanceof PDFDict ? now : undefined;

    if (oldRoles.free.has(key) || newRoles.free.has(key)) continue;
    if (key === oldRoles.catalog && oldDict && newDict) {
      for (const k of changedKeys(oldDict, newDict)) {
        if (k === 'AcroForm') checkAcroForm(getDict(signed.context, oldDict, 'AcroForm'), getDict(fctx, newDict, 'AcroForm'));
        else if (!['DSS', 'Extensions'].includes(k)) problems.add(`Danh mục tài liệu: /${k} đã bị thay đổi / Document catalog: /${k} was changed`);
      }
    } else if (key === oldRoles.acroForm) {
      checkAcroForm(oldDict, newDict);
    } else if (key === oldRoles.fieldsArray) {
      checkAdded(old instanceof PDFArray ? old : undefined, now instanceof PDFArray ? now : undefined, 'fields');
    } else if (oldRoles.pages.has(key) && oldDict && newDict) {
      const page = oldRoles.pages.get(key)!;
      for (const k of changedKeys(oldDict, newDict)) {
        if (k === 'Annots') checkAdded(getArray(signed.context, oldDict, 'Annots'), getArray(fctx, newDict, 'Annots'), 'annots');
        else if (k === 'Contents') problems.add(`Nội dung trang ${page} đã bị thay đổi / The content of page ${page} was changed`);
        else problems.add(`Trang ${page}: /${k} đã bị thay đổi / Page ${page}: /${k} was changed`);
      }
    } else if (oldRoles.annotsArrays.has(key)) {
      checkAdded(old instanceof PDFArray ? old : undefined, now instanceof PDFArray ? now : undefined, 'annots');
    } else if (oldRoles.contents.has(key)) {
      const page = oldRoles.contents.get(key)!;
      problems.add(`Nội dung trang ${page} đã bị thay đổi / The content of page ${page} was changed`);
    } else if (oldRoles.fields.has(key) && oldDict && newDict) {
      const isSig = oldRoles.fields.get(key) === 'Sig';
      for (const k of changedKeys(oldDict, newDict)) {
        const signing = isSig && k === 'V' && !oldDict.has(name('V'));
        if (signing) {
          if (level === 1) addedField(now);
        } else if (!['V', 'AS', 'AP'].includes(k) || level === 1) {
          problems.add(
            level === 1
              ? 'Biểu mẫu đã bị điền sau chữ ký chứng thực không cho phép thay đổi (P=1) / The form was filled in after a certification signature that allows no changes (P=1)'
              : `Trường biểu mẫu: /${k} đã bị thay đổi / Form field: /${k} was changed`,
          );
        }
      }
    } else if (oldRoles.annotations.has(key)) {
      if (level < 3) problems.add('Chú thích đã bị thay đổi (không được phép ở mức DocMDP này) / An annotation was changed (not allowed at this DocMDP level)');
    } else if (oldRoles.appearances.has(key)) {
      if (level === 1) problems.add('Hình thức hiển thị của trường biểu mẫu đã bị thay đổi / A form field appearance was changed');
    } else if (oldDict && getName(signed.context, oldDict, 'Type') === 'Pages') {
      problems.add('Trang đã được thêm, xóa hoặc sắp xếp lại / Pages were added, removed or reordered');
    } else {
      problems.add(`Đối tượng ${ref.objectNumber} ${ref.generationNumber} R đã bị thay đổi / Object ${ref.objectNumber} ${ref.generationNumber} R was changed`);
    }
  }
  return { verdict: problems.size ? 'NOT_ALLOWED' : 'ALLOWED', problems: [...problems] };
}
