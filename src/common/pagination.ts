import { AppError } from './errors.js';

/** Opaque cursors: base64url of a JSON tuple of the sort key, so clients can't depend on its form. */
export function encodeCursor(values: unknown[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

export function decodeCursor(cursor: string | undefined, arity: number): unknown[] | undefined {
  if (!cursor) return undefined;
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(v) && v.length === arity) return v;
  } catch {
    /* fall through */
  }
  throw AppError.badRequest('INVALID_CURSOR', 'Con trỏ phân trang không hợp lệ / Invalid pagination cursor', [{ field: 'cursor', message: 'not a cursor returned by this API' }]);
}

export interface Page<T> {
  items: T[];
  total?: number;
  nextCursor: string | null;
}
