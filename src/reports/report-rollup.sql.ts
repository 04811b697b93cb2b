import { COUNT_COLUMNS, periodCountsSql } from './indicator-facts.sql.js';

/**
 * The SQL of the public figures' monthly rollup (report_monthly_rollup, issue 20). A month's row
 * of an agency is periodCountsSql with that month as the period, so a run of whole months
 * [first, last] is exact from the rows (the same rules, no dossier read again):
 * - counted within a month, hence additive: received (by channel) and every flag of the received
 *   ones, finished (by timeliness and end), supplement rounds;
 * - processed = received in the run + carried over into its first month (that month's
 *   processed − received: received before it and not finished before it);
 * - in progress and overdue = the last month's (judged on its last day, the run's last day).
 */

const SNAPSHOT = new Set<string>(['processed', 'in_progress', 'in_progress_overdue']);
const ADDITIVE = COUNT_COLUMNS.filter((c) => !SNAPSHOT.has(c));
const COLUMNS = COUNT_COLUMNS.join(', ');

/**
 * Marks the agencies of `rows` (a SELECT of agency_code, received_day: facts before and after a
 * change) dirty from the month of their earliest receipt: a dossier's change can move every month
 * from its receipt to now (what it counted as received, carried over, open, overdue, finished).
 * In agency order, so concurrent marks lock the rows in one order (no deadlock).
 */
export function markDirtySql(rows: string): string {
  return `
INSERT INTO report_rollup_dirty (agency_code, from_month)
SELECT agency_code, date_trunc('month', min(received_day))::date FROM (${rows}) marked GROUP BY agency_code ORDER BY agency_code
ON CONFLICT (agency_code) DO UPDATE SET from_month = LEAST(report_rollup_dirty.from_month, EXCLUDED.from_month), version = report_rollup_dirty.version + 1`;
}

/** A facts upsert (upsertFactsSql) that marks, in the same statement, the months it changes; `oldWhere` selects the same dossiers' facts before it. */
export function upsertFactsMarkingSql(upsert: string, oldWhere: string): string {
  return `
WITH old AS (SELECT agency_code, received_day FROM report_dossier_facts WHERE ${oldWhere}),
up AS (${upsert}
  RETURNING agency_code, received_day)
${markDirtySql('SELECT * FROM old UNION ALL SELECT * FROM up')}`;
}

/** Recomputes one month [$2, $3] for the agencies $1: their rows of that month become exactly periodCountsSql's (groups now empty lose their row). */
export const ROLLUP_MONTH_SQL = `
WITH computed AS (${periodCountsSql('agency')}),
gone AS (DELETE FROM report_monthly_rollup r WHERE r.month = $2::date AND r.agency_code = ANY($1::varchar[])
  AND NOT EXISTS (SELECT 1 FROM computed c WHERE c.key = r.agency_code))
INSERT INTO report_monthly_rollup (agency_code, month, ${COLUMNS}, computed_at)
SELECT key, $2::date, ${COLUMNS}, statement_timestamp() FROM computed
ON CONFLICT (agency_code, month) DO UPDATE SET ${COUNT_COLUMNS.map((c) => `${c} = EXCLUDED.${c}`).join(', ')}, computed_at = EXCLUDED.computed_at`;

/**
 * Every agency with facts (a loose index scan of idx_report_facts_received: one probe per agency,
 * not a read of every row) or with rows in the rollup (whose facts are gone: their rows must go).
 */
export const ROLLUP_AGENCIES_SQL = `
WITH RECURSIVE a AS (
  (SELECT agency_code FROM report_dossier_facts ORDER BY agency_code LIMIT 1)
  UNION ALL
  SELECT (SELECT f.agency_code FROM report_dossier_facts f WHERE f.agency_code > a.agency_code ORDER BY f.agency_code LIMIT 1) FROM a WHERE a.agency_code IS NOT NULL
)
SELECT agency_code AS code FROM a WHERE agency_code IS NOT NULL
UNION SELECT DISTINCT agency_code FROM report_monthly_rollup`;

/** Records that month $1 was recomputed for every agency. */
export const MONTH_COMPUTED_SQL = `
INSERT INTO report_rollup_months (month, computed_at) VALUES ($1::date, statement_timestamp())
ON CONFLICT (month) DO UPDATE SET computed_at = EXCLUDED.computed_at`;

/** Clears the marks a pass read ($1 agencies, $2 their versions then); a mark set again meanwhile stays. */
export const CLEAR_DIRTY_SQL = `
DELETE FROM report_rollup_dirty d USING unnest($1::varchar[], $2::int[]) AS x(agency_code, version)
WHERE d.agency_code = x.agency_code AND d.version = x.version`;

/**
 * The counts (a CountsRow, key '') of the agencies $1 over the whole months from $2 to $3 (first
 * days), and whether those months can be answered: `first` is the earliest month the rollup knows
 * of (computed, or marked dirty by a dossier received then); a month before it has no dossier, one
 * from it on must have been computed. `present` counts the period's computed months, `as_of` when
 * the oldest of them was. One statement, so a burst of public requests costs one round trip each.
 */
export const ROLLUP_PERIOD_SQL = `
SELECT '' AS key,
  ${ADDITIVE.map((c) => `COALESCE(sum(${c}), 0)::int AS ${c}`).join(',\n  ')},
  (COALESCE(sum(processed - received) FILTER (WHERE month = $2::date), 0) + COALESCE(sum(received), 0))::int AS processed,
  COALESCE(sum(in_progress) FILTER (WHERE month = $3::date), 0)::int AS in_progress,
  COALESCE(sum(in_progress_overdue) FILTER (WHERE month = $3::date), 0)::int AS in_progress_overdue,
  LEAST((SELECT min(month) FROM report_rollup_months), (SELECT min(from_month) FROM report_rollup_dirty))::text AS first,
  (SELECT count(*) FROM report_rollup_months WHERE month BETWEEN $2::date AND $3::date)::int AS present,
  (SELECT min(computed_at) FROM report_rollup_months WHERE month BETWEEN $2::date AND $3::date) AS as_of
FROM report_monthly_rollup WHERE agency_code = ANY($1::varchar[]) AND month BETWEEN $2::date AND $3::date`;
