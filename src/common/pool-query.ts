import pg from 'pg';
import { QueryFailedError, type DataSource } from 'typeorm';

/**
 * Rows of one statement run on the pg pool under TypeORM's DataSource, without TypeORM around it.
 * `DataSource.query` builds a QueryRunner per call (connect, log, wrap, release) and
 * `Repository.findBy` a query builder besides: on the submission path, which runs a few statements
 * per request thousands of times a second, that was about a tenth of the service's CPU
 * (docs/BENCHMARKS.md). Same pool and connections, so pool size and shutdown stay TypeORM's.
 * Only for single statements outside a transaction; everything else goes through TypeORM.
 * PostgreSQL's refusals come out wrapped as TypeORM's would (QueryFailedError, SQLSTATE in `code`),
 * so the error filter maps them alike: text the database cannot store is a 400, not a 500.
 */
export async function poolQuery<T = Record<string, unknown>>(ds: DataSource, sql: string, params: unknown[]): Promise<T[]> {
  const pool = (ds.driver as unknown as { master: pg.Pool }).master;
  try {
    return (await pool.query(sql, params)).rows as T[];
  } catch (e) {
    throw e instanceof pg.DatabaseError ? new QueryFailedError(sql, params, e) : e;
  }
}
