/** SQL fragments over the clocks' table (dossier-clock.entity.ts) for read models that join it (queues, the figures). */

/** Joins the OVERALL clock of the dossier `d`, as `c` (due_at, due_soon_at, status, state, paused_at…), when it has one. */
export const OVERALL_CLOCK_OF_D_JOIN = `LEFT JOIN dossier_clocks c ON c.dossier_id = d.id AND c.kind = 'OVERALL'`;
