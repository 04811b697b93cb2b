import type { DossierComponent } from '../../catalog/catalog.types.js';
import { documentTypeKey } from '../intake.js';

/** What a document of the store says of its type: a component (code and name in its procedure) or a result. */
export interface StoredDocumentType {
  kind: 'COMPONENT' | 'RESULT';
  type: { code: string; name: string; procedureCode: string };
}

/**
 * Whether a document of the store may stand for a component of a procedure (once-only reuse):
 * a digitised component, never a result, of the same component of the same procedure, or with the
 * same component text (documentTypeKey) in another one. Never any paper for any component.
 */
export function standsFor(d: StoredDocumentType, c: Pick<DossierComponent, 'code' | 'name'>, procedureCode: string): boolean {
  if (d.kind !== 'COMPONENT') return false;
  return (d.type.procedureCode === procedureCode && d.type.code === c.code) || documentTypeKey(d.type.name) === documentTypeKey(c.name);
}
