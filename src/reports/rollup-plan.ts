/**
 * What one pass of the monthly rollup recomputes (pure; ReportRollupService runs it). Months are
 * their first day, yyyy-mm-01 (Vietnam dates).
 *
 * - Every month from the earliest the rollup knows of (computed, marked dirty, or, before the
 *   first pass, the earliest dossier's) to the current one that was never computed: for every
 *   agency (a new month, at the turn of a month, still counts the dossiers open in it).
 * - The current and the previous month, for every agency, once their figures are older than
 *   RECENT_MAX_AGE_MS; one older month (the least recently computed) once older than
 *   OLD_MAX_AGE_MS. Dossier changes come through the dirty marks; this catches what changes with
 *   no message about the dossier (the national portal accepting a push), and a lost mark.
 * - The months of a dirty agency from its mark on, for that agency only.
 */
export const RECENT_MAX_AGE_MS = 10 * 60_000;
export const OLD_MAX_AGE_MS = 24 * 3_600_000;

export interface RollupPlanInput {
  /** The current month (the Clock's, Vietnam time). */
  current: string;
  now: Date;
  /** The months computed for every agency, and when. */
  months: Array<{ month: string; computedAt: Date }>;
  dirty: Array<{ agencyCode: string; fromMonth: string }>;
  /** The earliest dossier's month; read only while no month was ever computed. */
  earliestFact: string | null;
}

export interface RollupStep {
  month: string;
  /** Every agency, or these. */
  agencies: 'all' | string[];
}

export const monthShift = (month: string, by: number): string => {
  const d = new Date(`${month}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + by);
  return d.toISOString().slice(0, 10);
};

/** The last day (yyyy-mm-dd) of the month starting on `month`. */
export const monthEnd = (month: string): string => new Date(Date.parse(`${monthShift(month, 1)}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

export function planRollupPass(input: RollupPlanInput): RollupStep[] {
  const computed = new Map(input.months.map((m) => [m.month, m.computedAt.getTime()]));
  const starts = [...computed.keys(), ...input.dirty.map((d) => d.fromMonth), ...(computed.size === 0 && input.earliestFact ? [input.earliestFact] : [])];
  const first = starts.reduce((a, b) => (b < a ? b : a), input.current);
  const now = input.now.getTime();
  const recent = new Set([input.current, monthShift(input.current, -1)]);
  const full = new Set<string>();
  let oldest: { month: string; at: number } | null = null;
  for (let m = first; m <= input.current; m = monthShift(m, 1)) {
    const at = computed.get(m);
    if (at === undefined) full.add(m);
    else if (recent.has(m)) {
      if (now - at > RECENT_MAX_AGE_MS) full.add(m);
    } else if (now - at > OLD_MAX_AGE_MS && (!oldest || at < oldest.at)) oldest = { month: m, at };
  }
  if (oldest) full.add(oldest.month);
  const steps: RollupStep[] = [];
  for (let m = first; m <= input.current; m = monthShift(m, 1)) {
    if (full.has(m)) {
      steps.push({ month: m, agencies: 'all' });
      continue;
    }
    const agencies = input.dirty
      .filter((d) => d.fromMonth <= m)
      .map((d) => d.agencyCode)
      .sort();
    if (agencies.length) steps.push({ month: m, agencies });
  }
  return steps;
}
