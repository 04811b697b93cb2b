import { normaliseFees } from './fee-lines.js';
import { isDeepStrictEqual } from 'node:util';
import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, In, QueryFailedError, type EntityManager, Repository } from 'typeorm';
import { Clock } from '../common/clock.js';
import { AppError, type ErrorDetail } from '../common/errors.js';
import { pageByKey, type Page } from '../common/pagination.js';
import { containsPattern, foldVietnamese, searchWords } from '../common/text-search.js';
import {
  DEFAULT_SUPPLEMENT_POLICY,
  type Duration,
  type ProcedureAgencyLevel,
  type ProcedureInput,
  type ProcedureSummary,
  type ProcedureView,
  type ServiceLevel,
} from './catalog.types.js';
import { describeDuration, processBudgetOverrun } from './process-budget.js';
import { Procedure, ProcedureRevision } from './procedure.entity.js';
import { CatalogErrors } from './catalog.errors.js';

export interface ProcedureFilter {
  serviceLevel?: ServiceLevel;
  agencyLevel?: ProcedureAgencyLevel;
  field?: string;
  q?: string;
  cursor?: string;
  limit?: number;
}

export type ProcedureChanges = Partial<Omit<ProcedureInput, 'code'>> & { expectedVersion?: number };

const SUMMARY_COLUMNS = ['code', 'name', 'nameEn', 'field', 'serviceLevel', 'agencyLevels', 'timeLimit', 'version'] as const;

/**
 * The procedure catalogue: what can be filed, with which components, in how long, through which
 * internal steps. Other capabilities read it through this service only.
 */
@Injectable()
export class CatalogService {
  constructor(
    @InjectRepository(Procedure) private readonly procedures: Repository<Procedure>,
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async findProcedure(code: string): Promise<ProcedureView | null> {
    const row = await this.procedures.findOneBy({ code });
    return row ? toView(row) : null;
  }

  /** The current version of a procedure; 404 PROCEDURE_NOT_FOUND when there is none. */
  async getProcedure(code: string): Promise<ProcedureView> {
    const found = await this.findProcedure(code);
    if (!found) throw procedureNotFound(code);
    return found;
  }

  /** A procedure as it stood at `version` (what a dossier filed under that version must follow). */
  /** A procedure as of one of its versions, inside the caller's transaction when given one (a held lock must not wait for a second connection). */
  async getProcedureVersion(code: string, version: number, em?: EntityManager): Promise<ProcedureView> {
    const revision = await (em ?? this.dataSource.manager).getRepository(ProcedureRevision).findOneBy({ procedureCode: code, version });
    if (revision)
      return { ...revision.snapshot, fees: normaliseFees(revision.snapshot.fees ?? []), supplement: revision.snapshot.supplement ?? DEFAULT_SUPPLEMENT_POLICY };
    await this.getProcedure(code);
    throw CatalogErrors.PROCEDURE_VERSION_NOT_FOUND(code, version, [{ field: 'version', message: `no version ${version}` }]);
  }

  /** The names of these procedures by code (codes unknown are left out). */
  async procedureNames(codes: string[]): Promise<Map<string, string>> {
    const rows: Array<{ code: string; name: string }> = await this.dataSource.query('SELECT code, name FROM procedure WHERE code = ANY($1::varchar[])', [
      codes,
    ]);
    return new Map(rows.map((r) => [r.code, r.name]));
  }

  /** The codes among `codes` that name no procedure, in the order given. */
  async unknownProcedureCodes(codes: string[]): Promise<string[]> {
    if (codes.length === 0) return [];
    const known = await this.procedures.find({ select: { code: true }, where: { code: In(codes) } });
    const knownSet = new Set(known.map((p) => p.code));
    return codes.filter((c) => !knownSet.has(c));
  }

  async listProcedures(filter: ProcedureFilter): Promise<Page<ProcedureSummary> & { total: number }> {
    const qb = this.procedures.createQueryBuilder('p').select(SUMMARY_COLUMNS.map((c) => `p.${c}`));
    if (filter.serviceLevel) qb.andWhere('p.serviceLevel = :serviceLevel', { serviceLevel: filter.serviceLevel });
    if (filter.agencyLevel) qb.andWhere(':agencyLevel = ANY(p.agencyLevels)', { agencyLevel: filter.agencyLevel });
    if (filter.field) qb.andWhere('p.field = :field', { field: filter.field.trim() });
    searchWords(filter.q ?? '').forEach((word, i) => qb.andWhere(`p.searchText LIKE :w${i}`, { [`w${i}`]: containsPattern(word) }));
    return pageByKey(qb, 'p.code', filter, toSummary, (p) => p.code);
  }

  async createProcedure(input: ProcedureInput): Promise<ProcedureView> {
    const now = this.clock.now();
    const row = this.procedures.create({
      code: input.code,
      nameEn: null,
      fees: [],
      components: [],
      supplement: { ...DEFAULT_SUPPLEMENT_POLICY },
      version: 1,
      createdAt: now,
      updatedAt: now,
    });
    applyInput(row, input);
    assertConsistent(row);
    row.searchText = searchTextOf(row);
    try {
      await this.dataSource.transaction(async (m) => {
        await m.insert(Procedure, row);
        await this.recordRevision(m, row);
      });
    } catch (e) {
      if (e instanceof QueryFailedError && (e as { code?: string }).code === '23505') {
        throw CatalogErrors.PROCEDURE_ALREADY_EXISTS(input.code, [{ field: 'code', message: `${input.code} is taken` }]);
      }
      throw e;
    }
    return toView(row);
  }

  /**
   * Applies the changes as one new version. A change that leaves the procedure as it was is not a
   * new version (a retried PATCH must not bump it twice).
   */
  async updateProcedure(code: string, changes: ProcedureChanges): Promise<ProcedureView> {
    return this.dataSource.transaction(async (m) => {
      const row = await m.getRepository(Procedure).findOne({ where: { code }, lock: { mode: 'pessimistic_write' } });
      if (!row) throw procedureNotFound(code);
      const { expectedVersion, ...fields } = changes;
      if (expectedVersion !== undefined && expectedVersion !== row.version) {
        throw CatalogErrors.PROCEDURE_VERSION_CONFLICT(row.version, [
          { field: 'expectedVersion', message: `current version is ${row.version}`, currentVersion: row.version },
        ]);
      }
      const before = toView(row);
      applyInput(row, fields);
      assertConsistent(row);
      if (isDeepStrictEqual(comparable(toView(row)), comparable(before))) return before;
      row.version += 1;
      row.updatedAt = this.clock.now();
      row.searchText = searchTextOf(row);
      await m.save(Procedure, row);
      await this.recordRevision(m, row);
      return toView(row);
    });
  }

  private async recordRevision(m: EntityManager, row: Procedure): Promise<void> {
    await m.insert(ProcedureRevision, { procedureCode: row.code, version: row.version, snapshot: toView(row), createdAt: row.updatedAt });
  }
}

/**
 * Copies what the input gives onto the row as plain values (DTO instances would be stored as they
 * are, and would never compare equal to what was read back).
 */
function applyInput(row: Procedure, input: Partial<Omit<ProcedureInput, 'code'>>): void {
  const duration = (d: Duration): Duration => ({ value: d.value, unit: d.unit });
  if (input.name !== undefined) row.name = input.name;
  if (input.nameEn !== undefined) row.nameEn = input.nameEn;
  if (input.field !== undefined) row.field = input.field;
  if (input.serviceLevel !== undefined) row.serviceLevel = input.serviceLevel;
  if (input.agencyLevels !== undefined) row.agencyLevels = [...input.agencyLevels];
  if (input.timeLimit !== undefined) row.timeLimit = duration(input.timeLimit);
  if (input.fees !== undefined) row.fees = normaliseFees(input.fees.map((f) => ({ ...f, amountVnd: f.amountVnd ?? null, text: f.text ?? null })));
  if (input.components !== undefined) {
    row.components = input.components.map((c) => ({
      code: c.code,
      name: c.name,
      required: c.required,
      signatureRequired: c.signatureRequired,
      originalRequired: c.originalRequired,
      group: c.group ?? null,
    }));
  }
  if (input.steps !== undefined) row.steps = input.steps.map((st) => ({ code: st.code, name: st.name, role: st.role, budget: duration(st.budget) }));
  if (input.supplement !== undefined) row.supplement = { days: input.supplement.days, clock: input.supplement.clock };
}

function procedureNotFound(code: string): AppError {
  return CatalogErrors.PROCEDURE_NOT_FOUND(code, [{ field: 'code', message: `no procedure ${code}` }]);
}

/** Rules over the whole procedure that field-by-field validation cannot see. */
function assertConsistent(p: Pick<Procedure, 'components' | 'steps' | 'timeLimit'>): void {
  const duplicates = [...duplicateCodes(p.components, 'components', 'DUPLICATE_COMPONENT_CODE'), ...duplicateCodes(p.steps, 'steps', 'DUPLICATE_STEP_CODE')];
  if (duplicates.length > 0) {
    const [first] = duplicates;
    throw CatalogErrors[first.code](
      String(first.detail.field),
      duplicates.map((d) => d.detail),
    );
  }
  const overrun = processBudgetOverrun(p.steps, p.timeLimit);
  if (overrun) {
    const vi = `Tổng thời gian các bước (${describeDuration(overrun.sum, 'vi')}) vượt thời hạn giải quyết (${describeDuration(overrun.limit, 'vi')})`;
    const en = `the steps' budgets add up to ${describeDuration(overrun.sum, 'en')}, more than the time limit of ${describeDuration(overrun.limit, 'en')}`;
    throw CatalogErrors.PROCESS_EXCEEDS_TIME_LIMIT(vi, en, [{ field: 'steps', message: en, sum: overrun.sum, limit: overrun.limit }]);
  }
}

type DuplicateCode = 'DUPLICATE_COMPONENT_CODE' | 'DUPLICATE_STEP_CODE';

function duplicateCodes(items: Array<{ code: string }>, field: string, code: DuplicateCode): Array<{ code: DuplicateCode; detail: ErrorDetail }> {
  const seen = new Set<string>();
  const out: Array<{ code: DuplicateCode; detail: ErrorDetail }> = [];
  items.forEach((item, i) => {
    if (seen.has(item.code)) out.push({ code, detail: { field: `${field}.${i}.code`, message: `code ${item.code} is used twice` } });
    seen.add(item.code);
  });
  return out;
}

function searchTextOf(p: Pick<Procedure, 'code' | 'name' | 'nameEn' | 'field'>): string {
  return foldVietnamese([p.code, p.name, p.nameEn ?? '', p.field].join(' '));
}

function toSummary(p: Procedure): ProcedureSummary {
  return {
    code: p.code,
    name: p.name,
    nameEn: p.nameEn,
    field: p.field,
    serviceLevel: p.serviceLevel,
    agencyLevels: p.agencyLevels,
    timeLimit: p.timeLimit,
    version: p.version,
  };
}

function toView(p: Procedure): ProcedureView {
  return {
    ...toSummary(p),
    fees: normaliseFees(p.fees),
    components: p.components,
    steps: p.steps,
    supplement: p.supplement ?? DEFAULT_SUPPLEMENT_POLICY,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}

const comparable = (v: ProcedureView) => ({ ...v, version: 0, createdAt: '', updatedAt: '' });
