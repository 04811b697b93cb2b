import { EVENT } from '../dossier-record/event-types.js';
import { AGENCY_PROCEDURES_AS_AP } from '../agencies/agencies.sql.js';
import { procedureJoinSql } from '../catalog/catalog.sql.js';
import { OVERALL_CLOCK_OF_D_JOIN } from '../deadlines/clocks.sql.js';
import { deliveredSql } from '../delivery/delivery-reads.js';
import { DOSSIER_EVENTS_AS_EV, DOSSIERS_AS_D } from '../dossier-record/dossier-records.js';
import { FEE_BEARING_SQL, PAID_ONLINE_SQL } from '../payments/payments.sql.js';
import { complaintSql, ratingSql } from '../ratings/ratings.sql.js';

/** The delivery target kind of the national portal's pushes (portal-sync's adapter). */
const PORTAL_TARGET_KIND = 'national-portal';
/**
 * The SQL of the figures' fast path: deriving report_dossier_facts rows from the primary tables
 * (the same rules as deriveFact in indicator-rules.ts), and counting a period from the facts (the
 * same rules as roleIn / addFact). The e2e test holds these to the TypeScript rules run over the
 * primary tables (IndicatorsService.recount).
 */

const VN = `'Asia/Ho_Chi_Minh'`;

/** The event types (the workflow's actions, upper-cased) that end a dossier without a result. */
export const CLOSING_EVENT_TYPES: string[] = [EVENT.STOP, EVENT.REFUSE, EVENT.WITHDRAW];
export const SUPPLEMENT_EVENT_TYPE: string = EVENT.REQUEST_SUPPLEMENT;

/**
 * Flags read from other capabilities' tables, by dossier (`d` is the dossiers row, `p` its
 * procedure), through the fragments their owners keep beside those tables.
 */
export { complaintSql, FEE_BEARING_SQL, PAID_ONLINE_SQL, ratingSql };
/** Whether the dossier `x` (an expression holding its id) reached the national portal. */
export const syncedSql = (x: string) => deliveredSql(PORTAL_TARGET_KIND, x);

const FACT_COLUMNS = [
  'dossier_id',
  'agency_code',
  'procedure_code',
  'field',
  'channel',
  'received_day',
  'due_day',
  'finished_day',
  'end_kind',
  'timeliness',
  'supplement_days',
  'digitised',
  'reused',
  'electronic_result',
  'written_result',
  'fee_bearing',
  'paid_online',
  'refreshed_at',
];

/**
 * Upserts the fact rows of the dossiers `where` selects (over `dossiers d`). Idempotent; a slower
 * concurrent refresh that read older state never overwrites a newer one (refreshed_at is the
 * statement's start, when its snapshot was taken).
 */
export function upsertFactsSql(where: string): string {
  return `
INSERT INTO report_dossier_facts (${FACT_COLUMNS.join(', ')})
SELECT d.id, d.receiving_agency_code, d.procedure_code, COALESCE(p.field, ''), d.channel,
  (COALESCE(d.received_at, d.submitted_at) AT TIME ZONE ${VN})::date,
  due.day, (en.at AT TIME ZONE ${VN})::date, en.kind,
  CASE WHEN en.at IS NULL THEN NULL
       WHEN cardinality(sup.days) > 1 OR d.rescheduled THEN 'LATE'
       WHEN d.resolved_at IS NOT NULL AND d.timeliness IS NOT NULL THEN d.timeliness
       WHEN due.day IS NULL THEN 'ON_TIME'
       WHEN (en.at AT TIME ZONE ${VN})::date < due.day THEN 'EARLY'
       WHEN (en.at AT TIME ZONE ${VN})::date = due.day THEN 'ON_TIME'
       ELSE 'LATE' END,
  sup.days, d.digitised OR d.channel = 'ONLINE', d.reused, d.electronic_result,
  d.outcome = 'GRANTED' AND d.returned_at IS NOT NULL,
  ${FEE_BEARING_SQL}, ${PAID_ONLINE_SQL}, statement_timestamp()
FROM ${DOSSIERS_AS_D}
${procedureJoinSql('p', 'd.procedure_code')}
${OVERALL_CLOCK_OF_D_JOIN}
CROSS JOIN LATERAL (SELECT CASE WHEN c.id IS NULL THEN NULL
  WHEN c.state = 'PAUSED' AND c.paused_at IS NOT NULL AND c.paused_at <= c.due_at THEN NULL
  ELSE (c.due_at AT TIME ZONE ${VN})::date END AS day) due
CROSS JOIN LATERAL (SELECT COALESCE(array_agg((ev.at AT TIME ZONE ${VN})::date ORDER BY ev.at), '{}') AS days
  FROM ${DOSSIER_EVENTS_AS_EV} WHERE ev.dossier_id = d.id AND ev.type = '${SUPPLEMENT_EVENT_TYPE}') sup
LEFT JOIN LATERAL (SELECT max(ev.at) AS at FROM ${DOSSIER_EVENTS_AS_EV}
  WHERE d.status IN ('STOPPED', 'REFUSED', 'WITHDRAWN') AND ev.dossier_id = d.id AND ev.type IN (${CLOSING_EVENT_TYPES.map((t) => `'${t}'`).join(', ')})) closed ON true
CROSS JOIN LATERAL (SELECT
  CASE WHEN d.resolved_at IS NOT NULL THEN d.resolved_at WHEN d.returned_at IS NOT NULL THEN d.returned_at ELSE closed.at END AS at,
  CASE WHEN d.resolved_at IS NOT NULL THEN (CASE WHEN d.status = 'RETURNED' THEN 'RETURNED' ELSE 'RESOLVED' END)
       WHEN d.returned_at IS NOT NULL THEN 'RETURNED'
       WHEN closed.at IS NOT NULL THEN d.status END AS kind) en
WHERE ${where}
ON CONFLICT (dossier_id) DO UPDATE SET ${FACT_COLUMNS.slice(1)
    .map((col) => `${col} = EXCLUDED.${col}`)
    .join(', ')}
  WHERE report_dossier_facts.refreshed_at <= EXCLUDED.refreshed_at`;
}

/** Must match the predicate of idx_report_facts_long_runners (report-fact.entity.ts). */
export const LONG_RUN_DAYS = 60;

export type GroupBy = 'procedure' | 'field' | 'agency' | 'month' | null;

/** The raw per-group counts a period query returns (all integers). */
export interface CountsRow {
  key: string;
  processed: number;
  received: number;
  online: number;
  counter: number;
  postal: number;
  finished: number;
  early: number;
  on_time: number;
  late: number;
  in_progress: number;
  in_progress_overdue: number;
  refused: number;
  withdrawn: number;
  stopped: number;
  supplement_rounds: number;
  digitised: number;
  reused: number;
  electronic_result: number;
  paid_online: number;
  synced: number;
  rated: number;
  very_satisfied: number;
  satisfied: number;
  not_satisfied: number;
  complaints: number;
  online_with_eresult: number;
  fee_bearing: number;
  paid_online_fee_bearing: number;
  written_result: number;
  electronic_written_result: number;
  digitised_with_eresult: number;
  complained_or_not_satisfied: number;
}

/** The counts' columns, in CountsRow's order (the monthly rollup keeps the same ones). */
export const COUNT_COLUMNS = [
  'processed',
  'received',
  'online',
  'counter',
  'postal',
  'finished',
  'early',
  'on_time',
  'late',
  'in_progress',
  'in_progress_overdue',
  'refused',
  'withdrawn',
  'stopped',
  'supplement_rounds',
  'digitised',
  'reused',
  'electronic_result',
  'paid_online',
  'synced',
  'rated',
  'very_satisfied',
  'satisfied',
  'not_satisfied',
  'complaints',
  'online_with_eresult',
  'fee_bearing',
  'paid_online_fee_bearing',
  'written_result',
  'electronic_written_result',
  'digitised_with_eresult',
  'complained_or_not_satisfied',
] as const satisfies ReadonlyArray<Exclude<keyof CountsRow, 'key'>>;

/**
 * Counts a period [$2, $3] (Vietnam days) for the receiving agencies $1, grouped by `groupBy`.
 * The dossiers processed in the period come from two index ranges: received in it or in the
 * LONG_RUN_DAYS before it (those unfinished at its start), and the long-runners received earlier
 * and unfinished at its start (the partial index idx_report_facts_long_runners). With
 * `groupBy = 'month'` each month of the period is its own period (the series' on-time trend): the
 * query then runs once per month (see IndicatorsService.series).
 */
export function periodCountsSql(groupBy: Exclude<GroupBy, 'month'>): string {
  const key = groupBy === 'procedure' ? 'f.procedure_code' : groupBy === 'field' ? 'f.field' : groupBy === 'agency' ? 'f.agency_code' : `''`;
  return `
WITH f AS (
  SELECT * FROM report_dossier_facts WHERE agency_code = ANY($1::varchar[]) AND received_day BETWEEN $2::date - ${LONG_RUN_DAYS} AND $3::date
    AND (received_day >= $2::date OR finished_day IS NULL OR finished_day >= $2::date)
  UNION ALL
  SELECT * FROM report_dossier_facts WHERE agency_code = ANY($1::varchar[]) AND received_day < $2::date - ${LONG_RUN_DAYS}
    AND (finished_day IS NULL OR finished_day > received_day + ${LONG_RUN_DAYS}) AND (finished_day IS NULL OR finished_day >= $2::date)
), r AS (
  SELECT f.*, ${key} AS key, f.received_day >= $2::date AS rcv, (f.finished_day IS NOT NULL AND f.finished_day <= $3::date) AS fin,
    CASE WHEN f.received_day >= $2::date THEN ${syncedSql('f.dossier_id')} ELSE false END AS synced,
    CASE WHEN f.received_day >= $2::date THEN ${complaintSql('f.dossier_id')} ELSE false END AS complaint,
    CASE WHEN f.received_day >= $2::date THEN ${ratingSql('f.dossier_id')} END AS rating
  FROM f
)
SELECT key,
  count(*)::int AS processed,
  count(*) FILTER (WHERE rcv)::int AS received,
  count(*) FILTER (WHERE rcv AND channel = 'ONLINE')::int AS online,
  count(*) FILTER (WHERE rcv AND channel = 'COUNTER')::int AS counter,
  count(*) FILTER (WHERE rcv AND channel = 'POSTAL')::int AS postal,
  count(*) FILTER (WHERE fin)::int AS finished,
  count(*) FILTER (WHERE fin AND timeliness = 'EARLY')::int AS early,
  count(*) FILTER (WHERE fin AND timeliness = 'ON_TIME')::int AS on_time,
  count(*) FILTER (WHERE fin AND timeliness = 'LATE')::int AS late,
  count(*) FILTER (WHERE NOT fin)::int AS in_progress,
  count(*) FILTER (WHERE NOT fin AND (cardinality(supplement_days) > 1 OR due_day < $3::date))::int AS in_progress_overdue,
  count(*) FILTER (WHERE fin AND end_kind = 'REFUSED')::int AS refused,
  count(*) FILTER (WHERE fin AND end_kind = 'WITHDRAWN')::int AS withdrawn,
  count(*) FILTER (WHERE fin AND end_kind = 'STOPPED')::int AS stopped,
  COALESCE(sum((SELECT count(*) FROM unnest(supplement_days) s WHERE s BETWEEN $2::date AND $3::date)) FILTER (WHERE cardinality(supplement_days) > 0), 0)::int AS supplement_rounds,
  count(*) FILTER (WHERE rcv AND digitised)::int AS digitised,
  count(*) FILTER (WHERE rcv AND reused)::int AS reused,
  count(*) FILTER (WHERE rcv AND electronic_result)::int AS electronic_result,
  count(*) FILTER (WHERE rcv AND paid_online)::int AS paid_online,
  count(*) FILTER (WHERE rcv AND synced)::int AS synced,
  count(*) FILTER (WHERE rcv AND rating IS NOT NULL)::int AS rated,
  count(*) FILTER (WHERE rcv AND rating = 'VERY_SATISFIED')::int AS very_satisfied,
  count(*) FILTER (WHERE rcv AND rating = 'SATISFIED')::int AS satisfied,
  count(*) FILTER (WHERE rcv AND rating = 'NOT_SATISFIED')::int AS not_satisfied,
  count(*) FILTER (WHERE rcv AND complaint)::int AS complaints,
  count(*) FILTER (WHERE rcv AND channel = 'ONLINE' AND (NOT written_result OR electronic_result))::int AS online_with_eresult,
  count(*) FILTER (WHERE rcv AND fee_bearing)::int AS fee_bearing,
  count(*) FILTER (WHERE rcv AND fee_bearing AND paid_online)::int AS paid_online_fee_bearing,
  count(*) FILTER (WHERE rcv AND written_result)::int AS written_result,
  count(*) FILTER (WHERE rcv AND written_result AND electronic_result)::int AS electronic_written_result,
  count(*) FILTER (WHERE rcv AND digitised AND electronic_result)::int AS digitised_with_eresult,
  count(*) FILTER (WHERE rcv AND (complaint OR rating = 'NOT_SATISFIED'))::int AS complained_or_not_satisfied
FROM r GROUP BY key`;
}

/** The procedures the agencies $1 resolve, by service level (3.1), grouped like the period counts. */
export function proceduresSql(groupBy: Exclude<GroupBy, 'month' | 'agency'>): string {
  const key = groupBy === 'procedure' ? 'ap.procedure_code' : groupBy === 'field' ? `COALESCE(p.field, '')` : `''`;
  return `
SELECT ${key} AS key, count(DISTINCT ap.procedure_code)::int AS total,
  count(DISTINCT ap.procedure_code) FILTER (WHERE p.service_level = 'FULL_ONLINE')::int AS full_online,
  count(DISTINCT ap.procedure_code) FILTER (WHERE p.service_level = 'PARTIAL_ONLINE')::int AS partial_online
FROM ${AGENCY_PROCEDURES_AS_AP} ${procedureJoinSql('p', 'ap.procedure_code')}
WHERE ap.agency_code = ANY($1::varchar[]) GROUP BY 1`;
}

/** The primary-table rows of the direct recount (one per dossier received at the agencies $1). */
export const RECOUNT_RAW_SQL = `
SELECT d.id, d.receiving_agency_code, d.procedure_code, COALESCE(p.field, '') AS field, d.channel, d.status,
  d.submitted_at, d.received_at, d.resolved_at, d.returned_at, d.timeliness, d.rescheduled, d.outcome, d.digitised, d.reused, d.electronic_result,
  (SELECT max(ev.at) FROM ${DOSSIER_EVENTS_AS_EV} WHERE ev.dossier_id = d.id AND ev.type IN (${CLOSING_EVENT_TYPES.map((t) => `'${t}'`).join(', ')})) AS closed_at,
  c.due_at, c.state AS clock_state, c.paused_at,
  ARRAY(SELECT ev.at FROM ${DOSSIER_EVENTS_AS_EV} WHERE ev.dossier_id = d.id AND ev.type = '${SUPPLEMENT_EVENT_TYPE}') AS supplement_at,
  ${FEE_BEARING_SQL} AS fee_bearing, ${PAID_ONLINE_SQL} AS paid_online,
  ${syncedSql('d.id')} AS synced, ${complaintSql('d.id')} AS complaint, ${ratingSql('d.id')} AS rating
FROM ${DOSSIERS_AS_D}
${procedureJoinSql('p', 'd.procedure_code')}
${OVERALL_CLOCK_OF_D_JOIN}
WHERE d.receiving_agency_code = ANY($1::varchar[])`;
