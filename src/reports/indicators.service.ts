import { Inject, Injectable } from '@nestjs/common';
import { AgenciesService } from '../agencies/agencies.service.js';
import { Clock } from '../common/clock.js';
import { Role, type AuthUser } from '../common/auth-context.js';
import { countFacts, deriveFact, emptyCounts, emptyExtras, indicatorRows, type DossierRaw, type IndicatorExtras } from './indicator-rules.js';
import { periodCountsSql, proceduresSql, RECOUNT_RAW_SQL, type CountsRow } from './indicator-facts.sql.js';
import { monthsOf, resolvePeriod } from './report-period.js';
import type { IndicatorBreakdownRow, IndicatorCounts, IndicatorReport, ReportPeriod, ReportSeries } from './report-types.js';
import { ReportsDatabase } from './reports-database.js';
import { ReportErrors } from './reports.errors.js';
import { CatalogService } from '../catalog/catalog.service.js';

export type Breakdown = 'procedure' | 'field';

export interface IndicatorQuery {
  agencyCode?: string;
  from?: string;
  to?: string;
  period?: string;
  date?: string;
  subtree?: boolean;
  by?: Breakdown;
}

type Procedures = IndicatorReport['procedures'];
interface Scope {
  agency: { code: string; name: string };
  codes: string[];
  subtree: boolean;
  period: ReportPeriod;
}

export function countsFromRow(r: CountsRow): { counts: IndicatorCounts; extras: IndicatorExtras } {
  return {
    counts: {
      received: { total: r.received, online: r.online, counter: r.counter, postal: r.postal },
      processed: r.processed,
      finished: { total: r.finished, early: r.early, onTime: r.on_time, late: r.late },
      inProgress: { total: r.in_progress, onTime: r.in_progress - r.in_progress_overdue, overdue: r.in_progress_overdue },
      refused: r.refused,
      withdrawn: r.withdrawn,
      stopped: r.stopped,
      supplementRounds: r.supplement_rounds,
      digitised: r.digitised,
      reused: r.reused,
      electronicResult: r.electronic_result,
      paidOnline: r.paid_online,
      synced: r.synced,
      ratings: { total: r.rated, verySatisfied: r.very_satisfied, satisfied: r.satisfied, notSatisfied: r.not_satisfied },
      complaints: r.complaints,
    },
    extras: {
      onlineWithEResult: r.online_with_eresult,
      feeBearing: r.fee_bearing,
      paidOnlineFeeBearing: r.paid_online_fee_bearing,
      writtenResult: r.written_result,
      electronicWrittenResult: r.electronic_written_result,
      digitisedWithEResult: r.digitised_with_eresult,
      complainedOrNotSatisfied: r.complained_or_not_satisfied,
    },
  };
}

/**
 * Decision 766's figures for an agency (or its subtree) and a period, read from report_dossier_facts
 * (kept by ReportFactsService) with the rules of indicator-rules.ts; `recount` computes the same from
 * the primary tables (the check that the fast figures are right). Every statement runs on the
 * reports' own pool, with its statement timeout (ReportsDatabase).
 */
@Injectable()
export class IndicatorsService {
  constructor(
    @Inject(ReportsDatabase) private readonly db: ReportsDatabase,
    @Inject(AgenciesService) private readonly agencies: AgenciesService,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(CatalogService) private readonly catalog: CatalogService,
  ) {}

  /**
   * Who may read which figures: ADMIN any agency; LEADER their agency and any below it (with or
   * without the subtree); other staff their own agency only, without the subtree. Without
   * `agencyCode`, staff get their own agency. `user` undefined: the public aggregate figures.
   */
  async authorise(user: AuthUser | undefined, q: IndicatorQuery): Promise<string> {
    const code = q.agencyCode ?? (user?.kind === 'user' ? (user.agencyCode ?? undefined) : undefined);
    if (!code) throw ReportErrors.REPORT_AGENCY_REQUIRED([{ field: 'agencyCode', message: 'required' }]);
    if (!(await this.agencies.findByCode(code))) throw ReportErrors.REPORT_AGENCY_NOT_FOUND({ agencyCode: code });
    if (!user || (user.kind === 'user' && user.role === Role.ADMIN)) return code;
    if (user.kind !== 'user' || !user.agencyCode) throw ReportErrors.REPORT_FORBIDDEN();
    if (user.role === Role.LEADER) {
      if (!(await this.agencies.subtreeCodes(user.agencyCode)).includes(code)) throw ReportErrors.REPORT_FORBIDDEN();
      return code;
    }
    if (user.role !== Role.RECEPTION_OFFICER && user.role !== Role.SPECIALIST) throw ReportErrors.REPORT_FORBIDDEN();
    if (code !== user.agencyCode || q.subtree) throw ReportErrors.REPORT_FORBIDDEN();
    return code;
  }

  private async scope(q: IndicatorQuery): Promise<Scope> {
    const period = resolvePeriod(q);
    if (!q.agencyCode) throw ReportErrors.REPORT_AGENCY_REQUIRED([{ field: 'agencyCode', message: 'required' }]);
    return { ...(await this.agencyScope(q.agencyCode, q.subtree ?? false)), period };
  }

  /** The agency (404 REPORT_AGENCY_NOT_FOUND) and the receiving agencies its figures count: itself, or its subtree. */
  async agencyScope(code: string, subtree: boolean): Promise<Omit<Scope, 'period'>> {
    const agency = await this.agencies.findByCode(code);
    if (!agency) throw ReportErrors.REPORT_AGENCY_NOT_FOUND({ agencyCode: code });
    const codes = subtree ? await this.agencies.subtreeCodes(agency.code) : [agency.code];
    return { agency: { code: agency.code, name: agency.name }, codes, subtree };
  }

  /** 3.1's parts: the procedures the agencies resolve, by service level. */
  async procedureCounts(codes: string[]): Promise<Procedures> {
    return (await this.procedures(codes, null)).get('') ?? { total: 0, fullOnline: 0, partialOnline: 0 };
  }

  private async periodCounts(
    codes: string[],
    from: string,
    to: string,
    by: Breakdown | null,
  ): Promise<Map<string, { counts: IndicatorCounts; extras: IndicatorExtras }>> {
    const rows: CountsRow[] = await this.db.query(periodCountsSql(by), [codes, from, to]);
    return new Map(rows.map((r) => [r.key, countsFromRow(r)]));
  }

  private async procedures(codes: string[], by: Breakdown | null): Promise<Map<string, Procedures>> {
    const rows: Array<{ key: string; total: number; full_online: number; partial_online: number }> = await this.db.query(proceduresSql(by), [codes]);
    return new Map(rows.map((r) => [r.key, { total: r.total, fullOnline: r.full_online, partialOnline: r.partial_online }]));
  }

  private assemble(s: Scope, total: { counts: IndicatorCounts; extras: IndicatorExtras }, procedures: Procedures): IndicatorReport {
    return {
      agency: s.agency,
      subtree: s.subtree,
      period: s.period,
      generatedAt: this.clock.now().toISOString(),
      indicators: indicatorRows(total.counts, total.extras, procedures),
      counts: total.counts,
      procedures,
    };
  }

  /** The indicator table (and, with `by`, a row per procedure or field). */
  async report(q: IndicatorQuery): Promise<IndicatorReport> {
    const s = await this.scope(q);
    // One statement after the other: a report holds one of the reports' few connections at a time,
    // and a report refused for want of one leaves no statement of its own running on.
    const counts = await this.periodCounts(s.codes, s.period.from, s.period.to, null);
    const procedures = await this.procedures(s.codes, null);
    const report = this.assemble(
      s,
      counts.get('') ?? { counts: emptyCounts(), extras: emptyExtras() },
      procedures.get('') ?? { total: 0, fullOnline: 0, partialOnline: 0 },
    );
    if (q.by) {
      const rows = await this.breakdown(s, q.by);
      if (q.by === 'procedure') report.byProcedure = rows;
      else report.byField = rows;
    }
    return report;
  }

  private async breakdown(s: Scope, by: Breakdown): Promise<IndicatorBreakdownRow[]> {
    const counts = await this.periodCounts(s.codes, s.period.from, s.period.to, by);
    const procedures = await this.procedures(s.codes, by);
    const keys = [...new Set([...counts.keys(), ...procedures.keys()])].sort();
    const names = by === 'procedure' ? await this.procedureNames(keys) : new Map(keys.map((k) => [k, k]));
    return keys.map((key) => {
      const c = counts.get(key) ?? { counts: emptyCounts(), extras: emptyExtras() };
      const p = procedures.get(key) ?? { total: 0, fullOnline: 0, partialOnline: 0 };
      return { key, name: names.get(key) ?? key, counts: c.counts, indicators: indicatorRows(c.counts, c.extras, p) };
    });
  }

  private procedureNames(codes: string[]): Promise<Map<string, string>> {
    return this.catalog.procedureNames(codes);
  }

  /** What the report's charts draw: per month received by channel and 2.1; overdue (late + overdue) per procedure over the period. */
  async series(q: IndicatorQuery): Promise<ReportSeries> {
    const s = await this.scope(q);
    const months: ReportSeries['months'] = [];
    for (const m of monthsOf(s.period)) {
      const c = (await this.periodCounts(s.codes, m.from, m.to, null)).get('') ?? { counts: emptyCounts(), extras: emptyExtras() };
      const onTime = indicatorRows(c.counts, c.extras, { total: 0, fullOnline: 0, partialOnline: 0 }).find((r) => r.code === '2.1')!;
      months.push({
        month: m.month,
        received: { online: c.counts.received.online, counter: c.counts.received.counter, postal: c.counts.received.postal },
        onTimeRate: onTime.rate,
      });
    }
    const byProcedure = await this.periodCounts(s.codes, s.period.from, s.period.to, 'procedure');
    const overdue = [...byProcedure]
      .map(([code, c]) => ({ procedureCode: code, overdue: c.counts.finished.late + c.counts.inProgress.overdue }))
      .filter((r) => r.overdue > 0);
    const names = await this.procedureNames(overdue.map((r) => r.procedureCode));
    return {
      months,
      overdueByProcedure: overdue
        .map((r) => ({ ...r, procedureName: names.get(r.procedureCode) ?? r.procedureCode }))
        .sort((a, b) => b.overdue - a.overdue || a.procedureCode.localeCompare(b.procedureCode)),
    };
  }

  /**
   * The same report counted directly from the primary tables (dossiers, events, clocks, payments,
   * portal deliveries, ratings, complaints) with the TypeScript rules: slow, for checking the fast path.
   */
  async recount(q: IndicatorQuery): Promise<IndicatorReport> {
    const s = await this.scope(q);
    const raws: Array<Record<string, unknown>> = await this.db.query(RECOUNT_RAW_SQL, [s.codes]);
    const facts = raws.map((r) => deriveFact(toRaw(r)));
    const total = countFacts(facts, s.period.from, s.period.to);
    const procedures = (await this.procedures(s.codes, null)).get('') ?? { total: 0, fullOnline: 0, partialOnline: 0 };
    const report = this.assemble(s, total, procedures);
    if (q.by) {
      const key = (f: (typeof facts)[number]) => (q.by === 'procedure' ? f.procedureCode : f.field);
      const groups = new Map<string, typeof facts>();
      for (const f of facts) groups.set(key(f), [...(groups.get(key(f)) ?? []), f]);
      const perProcedure = await this.procedures(s.codes, q.by);
      const keys = [...new Set([...groups.keys(), ...perProcedure.keys()])].sort();
      const names = q.by === 'procedure' ? await this.procedureNames(keys) : new Map(keys.map((k) => [k, k]));
      const rows = keys
        .map((k) => {
          const c = countFacts(groups.get(k) ?? [], s.period.from, s.period.to);
          return {
            key: k,
            name: names.get(k) ?? k,
            counts: c.counts,
            indicators: indicatorRows(c.counts, c.extras, perProcedure.get(k) ?? { total: 0, fullOnline: 0, partialOnline: 0 }),
          };
        })
        .filter((r) => r.counts.processed > 0 || r.counts.received.total > 0 || perProcedure.has(r.key));
      if (q.by === 'procedure') report.byProcedure = rows;
      else report.byField = rows;
    }
    return report;
  }
}

const date = (v: unknown): Date | null => (v === null || v === undefined ? null : new Date(v as string));

function toRaw(r: Record<string, unknown>): DossierRaw {
  return {
    id: r.id as string,
    receivingAgencyCode: r.receiving_agency_code as string,
    procedureCode: r.procedure_code as string,
    field: r.field as string,
    channel: r.channel as DossierRaw['channel'],
    status: r.status as string,
    submittedAt: date(r.submitted_at)!,
    receivedAt: date(r.received_at),
    resolvedAt: date(r.resolved_at),
    returnedAt: date(r.returned_at),
    closedAt: date(r.closed_at),
    timeliness: (r.timeliness as DossierRaw['timeliness']) ?? null,
    rescheduled: r.rescheduled as boolean,
    outcome: (r.outcome as DossierRaw['outcome']) ?? null,
    digitised: r.digitised as boolean,
    reused: r.reused as boolean,
    electronicResult: r.electronic_result as boolean,
    clock: r.due_at ? { dueAt: date(r.due_at)!, state: r.clock_state as 'RUNNING' | 'PAUSED' | 'STOPPED', pausedAt: date(r.paused_at) } : null,
    supplementRequestedAt: ((r.supplement_at as unknown[]) ?? []).map((t) => date(t)!),
    feeBearing: r.fee_bearing as boolean,
    paidOnline: r.paid_online as boolean,
    synced: r.synced as boolean,
    complaint: r.complaint as boolean,
    rating: (r.rating as DossierRaw['rating']) ?? null,
  };
}
