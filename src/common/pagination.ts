import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { toInteger } from './query-params.js';
import { CommonErrors } from './common.errors.js';

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
  throw CommonErrors.INVALID_CURSOR([{ field: 'cursor', message: 'not a cursor returned by this API' }]);
}

export interface Page<T> {
  items: T[];
  total?: number;
  nextCursor: string | null;
}

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** `cursor` and `limit`, shared by every list route. */
export class PageQuery {
  @ApiPropertyOptional({ description: 'Opaque cursor: the `nextCursor` of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  cursor?: string;

  @ApiPropertyOptional({ description: 'Page size', minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit?: number;
}

/**
 * A page from rows fetched with `limit + 1`: the extra row only tells that more follow, and the
 * cursor is the sort key of the last row returned.
 */
export function pageOf<T>(rows: T[], limit: number, sortKey: (row: T) => unknown[], total?: number): Page<T> {
  const items = rows.slice(0, limit);
  const nextCursor = rows.length > limit && items.length > 0 ? encodeCursor(sortKey(items[items.length - 1])) : null;
  return { items, ...(total === undefined ? {} : { total }), nextCursor };
}

/**
 * One page of a list query sorted by a unique key column (e.g. `p.code`): counts every match of
 * the filters already on `qb`, then fetches the rows after the cursor.
 */
export async function pageByKey<E extends ObjectLiteral, T>(
  qb: SelectQueryBuilder<E>,
  key: string,
  query: { cursor?: string; limit?: number },
  toItem: (row: E) => T,
  keyOf: (item: T) => string,
): Promise<Page<T> & { total: number }> {
  const limit = query.limit ?? DEFAULT_PAGE_SIZE;
  const total = await qb.getCount();
  const after = decodeCursor(query.cursor, 1);
  if (after) qb.andWhere(`${key} > :after`, { after: String(after[0]) });
  const rows = await qb
    .orderBy(key, 'ASC')
    .limit(limit + 1)
    .getMany();
  return { ...pageOf(rows.map(toItem), limit, (item) => [keyOf(item)]), total };
}
