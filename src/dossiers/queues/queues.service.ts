import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { STAFF_ROLES, type AuthUser, type Role } from '../../common/auth-context.js';
import { decodeCursor, encodeCursor } from '../../common/pagination.js';
import { SELECT_DOSSIER_COLUMNS, toView, type DossierRow } from '../dossiers.service.js';
import type { DossierView } from '../dto/dossier.dto.js';
import { QUEUES, type QueueName } from './queues.js';
import { CommonErrors } from '../../common/common.errors.js';
import type { Channel } from '../intake.js';
import { OVERALL_CLOCK_OF_D_JOIN } from '../../deadlines/clocks.sql.js';
import { DOSSIERS_AS_D } from '../../dossier-record/dossier-records.js';

export interface QueueQuery {
  procedureCode?: string;
  serviceLevel?: 'FULL_ONLINE' | 'PARTIAL_ONLINE';
  channel?: Channel;
  cursor?: string;
  limit?: number;
}

/** One SQL statement and its positional parameters. */
export interface QueueSql {
  sql: string;
  params: unknown[];
}

export interface QueuePage {
  queue: QueueName;
  total: number;
  items: Array<DossierView & { dueAt: string | null; deadlineStatus: string | null }>;
  nextCursor: string | null;
}

/**
 * The officers' queues: a read model over dossiers and their OVERALL clock (a join across the
 * dossiers and deadlines capabilities' tables, read-only, because a sorted page of one agency's
 * work cannot be assembled efficiently through two services).
 */
@Injectable()
export class QueuesService {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  async page(user: AuthUser, name: QueueName, q: QueueQuery): Promise<QueuePage> {
    const { count, page: pageSql, limit } = this.queries(user, name, q);
    type Row = DossierRow & { sort_key: Date | string; due_at: Date | null; clock_status: string | null; total?: number };
    const [counted, rows] = await Promise.all([
      count ? (this.db.query(count.sql, count.params) as Promise<Array<{ total: number }>>) : undefined,
      this.db.query(pageSql.sql, pageSql.params) as Promise<Row[]>,
    ]);
    // The first page carries the total on its rows (none: the queue is empty).
    const total = counted ? counted[0].total : (rows[0]?.total ?? 0);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      queue: name,
      total,
      items: page.map((r) => ({ ...toView(r), dueAt: r.due_at ? new Date(r.due_at).toISOString() : null, deadlineStatus: r.clock_status })),
      nextCursor: rows.length > limit && last ? encodeCursor([sortKeyText(last.sort_key), last.id]) : null,
    };
  }

  /**
   * The statements a page runs, with their parameters: what page() executes, and what
   * `npm run bench:queues` explains. The first page counts the queue in the same pass (each
   * branch reads all its index entries to sort them anyway); a later page (cursor) needs `count`.
   */
  queries(user: AuthUser, name: QueueName, q: QueueQuery): { count: QueueSql | null; page: QueueSql; limit: number } {
    if (user.kind !== 'user' || !(STAFF_ROLES as readonly Role[]).includes(user.role) || !user.agencyCode) {
      throw CommonErrors.FORBIDDEN('Chỉ cán bộ có hàng đợi', 'Only staff of an agency have queues');
    }
    const def = QUEUES[name];
    const params: unknown[] = [];
    const bind = (value: unknown) => `$${params.push(value)}`;
    // Only the placeholders a queue uses become parameters (PostgreSQL cannot type unused ones).
    const named = (sql: string) => sql.replace(/:(agency|me)\b/g, (_, name: string) => bind(name === 'agency' ? user.agencyCode : user.id));
    const common = [named(def.where)];
    if (q.procedureCode) common.push(`d.procedure_code = ${bind(q.procedureCode)}`);
    if (q.serviceLevel) common.push(`d.service_level = ${bind(q.serviceLevel)}`);
    if (q.channel) common.push(`d.channel = ${bind(q.channel)}`);
    const branches = def.anyOf ? def.anyOf.map((alternative) => [...common, named(alternative)]) : [common];
    // Dossiers without a clock sort last ('infinity'), so the sort key is never null.
    const sortKey = def.sortBy === 'submitted' ? 'd.submitted_at' : `COALESCE(c.due_at, 'infinity'::timestamptz)`;
    const from = `FROM ${DOSSIERS_AS_D} ${OVERALL_CLOCK_OF_D_JOIN}`;
    const cursor = decodeCursor(q.cursor, 2) as [string, string] | undefined;
    const count = cursor
      ? { sql: `SELECT (${branches.map((b) => `(SELECT count(*) ${from} WHERE ${b.join(' AND ')})`).join(' + ')})::int AS total`, params: [...params] }
      : null;
    const after = cursor ? [`(${sortKey}, d.id) > (${bind(cursor[0])}::timestamptz, ${bind(cursor[1])}::uuid)`] : [];
    const limit = q.limit ?? 50;
    const take = bind(limit + 1);
    // The page's keys first (read from the indexes alone), then the rows of those dossiers only.
    // On the first page each key also carries its branch's count (taken before the LIMIT).
    const keys = branches.map(
      (b, i) =>
        `(SELECT d.id, ${sortKey} AS sort_key, ${i} AS branch, ${cursor ? 'NULL::bigint' : 'count(*) OVER ()'} AS branch_total
          ${from} WHERE ${[...b, ...after].join(' AND ')} ORDER BY sort_key, d.id LIMIT ${take})`,
    );
    const sql = `WITH k AS (${keys.join(' UNION ALL ')})
      SELECT ${SELECT_DOSSIER_COLUMNS}, k.sort_key, c.due_at, c.status AS clock_status,
             (SELECT sum(t.branch_total) FROM (SELECT DISTINCT branch, branch_total FROM k) t)::int AS total
        FROM k JOIN ${DOSSIERS_AS_D} ON d.id = k.id ${OVERALL_CLOCK_OF_D_JOIN}
       ORDER BY k.sort_key, k.id LIMIT ${take}`;
    return { count, page: { sql, params }, limit };
  }
}

function sortKeyText(v: Date | string): string {
  return v instanceof Date ? v.toISOString() : String(v);
}
