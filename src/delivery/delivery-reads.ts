import type { DataSource, EntityManager } from 'typeorm';

/**
 * Reads of the delivery engine's tables for the adapters that own a target kind (the national
 * portal's sync reads its own pushes back) and SQL fragments for read models (the figures' "synced"
 * flag), kept here beside the tables (delivery.entities.ts) so no capability names them.
 */

/** Per target of `kind`, the newest delivery's payload fields asked for (`fields`: top-level payload keys). */
export async function latestPayloadFields(
  em: DataSource | EntityManager,
  kind: string,
  targetIds: string[],
  fields: string[],
): Promise<Array<{ targetId: string; fields: Record<string, unknown> }>> {
  if (targetIds.length === 0) return [];
  const rows: Array<{ target_id: string; fields: Record<string, unknown> }> = await em.query(
    `SELECT DISTINCT ON (target_id) target_id, (SELECT jsonb_object_agg(k, payload -> k) FROM unnest($3::text[]) k) AS fields
       FROM deliveries WHERE target_kind = $1 AND target_id = ANY($2::varchar[]) ORDER BY target_id, id DESC`,
    [kind, targetIds, fields],
  );
  return rows.map((r) => ({ targetId: r.target_id, fields: r.fields ?? {} }));
}

/** One target's deliveries in sum, labelled by two text fields of their payloads (e.g. the dossier's code and agency). */
export interface TargetSummary {
  target_id: string;
  label_a: string | null;
  label_b: string | null;
  pending: number;
  dead: number;
  pushed: number;
  attempts: number;
  oldest_pending_at: Date | null;
  last_pushed_change: string | null;
  last_pushed_at: Date | null;
  last_error: string | null;
  last_dead_delivery: string | null;
}

/**
 * The targets of `kind` with their deliveries summed, filtered by the two payload labels and a state
 * (PENDING: something waits; DEAD: something died; SYNCED: neither), the dead and the oldest waiting first.
 */
export async function targetSummaries(
  db: DataSource,
  kind: string,
  labels: [string, string],
  filter: { labelA?: string | null; labelB?: string | null; state?: 'PENDING' | 'DEAD' | 'SYNCED' | null; limit: number },
): Promise<TargetSummary[]> {
  return db.query(
    `WITH per AS (
       SELECT d.target_id, max(d.payload->>$2) AS label_a, max(d.payload->>$3) AS label_b,
              count(*) FILTER (WHERE d.status = 'PENDING')::int AS pending, count(*) FILTER (WHERE d.status = 'DEAD')::int AS dead,
              count(*) FILTER (WHERE d.status = 'SUCCEEDED')::int AS pushed, sum(d.attempts)::int AS attempts,
              min(d.created_at) FILTER (WHERE d.status = 'PENDING') AS oldest_pending_at,
              (array_agg(d.event_type ORDER BY d.id DESC) FILTER (WHERE d.status = 'SUCCEEDED'))[1] AS last_pushed_change,
              max(d.finished_at) FILTER (WHERE d.status = 'SUCCEEDED') AS last_pushed_at,
              (array_agg(d.last_error ORDER BY d.id DESC) FILTER (WHERE d.last_error IS NOT NULL))[1] AS last_error,
              (array_agg(d.id ORDER BY d.id DESC) FILTER (WHERE d.status = 'DEAD'))[1] AS last_dead_delivery
         FROM deliveries d WHERE d.target_kind = $1 GROUP BY d.target_id)
     SELECT * FROM per
      WHERE ($4::varchar IS NULL OR label_b = $4) AND ($5::varchar IS NULL OR label_a = $5)
        AND ($6::varchar IS NULL OR ($6 = 'PENDING' AND pending > 0) OR ($6 = 'DEAD' AND dead > 0) OR ($6 = 'SYNCED' AND pending = 0 AND dead = 0))
      ORDER BY (dead > 0) DESC, oldest_pending_at NULLS LAST, label_a LIMIT $7`,
    [kind, labels[0], labels[1], filter.labelB ?? null, filter.labelA ?? null, filter.state ?? null, filter.limit],
  );
}

/** All deliveries of `kind` in sum: targets, waiting, dead, delivered, the oldest wait, the last hour's lag p99, the last day's failed attempts. */
export async function kindSummary(db: DataSource, kind: string): Promise<Record<string, number | null>> {
  const [s] = await db.query(
    `SELECT count(DISTINCT target_id)::int AS dossiers, count(*) FILTER (WHERE status = 'PENDING')::int AS pending, count(*) FILTER (WHERE status = 'DEAD')::int AS dead,
            count(*) FILTER (WHERE status = 'SUCCEEDED')::int AS pushed,
            (extract(epoch FROM now() - min(created_at) FILTER (WHERE status = 'PENDING')) * 1000)::bigint AS oldest_pending_ms,
            (percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM finished_at - created_at) * 1000) FILTER (WHERE status = 'SUCCEEDED' AND finished_at > now() - interval '1 hour'))::int AS lag_p99_ms_last_hour,
            (SELECT count(*)::int FROM delivery_attempts a JOIN deliveries x ON x.id = a.delivery_id WHERE x.target_kind = $1 AND a.outcome <> 'SUCCEEDED' AND a.started_at > now() - interval '1 day') AS failed_attempts_last_day
       FROM deliveries WHERE target_kind = $1`,
    [kind],
  );
  return { ...s, oldest_pending_ms: s.oldest_pending_ms === null ? null : Number(s.oldest_pending_ms) };
}

/** SQL: whether a delivery of `kind` to the target `x` (an expression, cast to text) succeeded. */
export const deliveredSql = (kind: string, x: string) =>
  `EXISTS (SELECT 1 FROM deliveries dl WHERE dl.target_kind = '${kind}' AND dl.target_id = ${x}::text AND dl.status = 'SUCCEEDED')`;

/** SQL: joins the delivery target of kind `kind` whose id is `idExpr`, as `t`, when it is active. */
export const activeTargetJoinSql = (kind: string, idExpr: string) =>
  `JOIN delivery_targets t ON t.kind = '${kind}' AND t.id = ${idExpr} AND t.status = 'ACTIVE'`;
