import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, QueryFailedError, Repository, type SelectQueryBuilder } from 'typeorm';
import { CatalogService } from '../catalog/catalog.service.js';
import { Clock } from '../common/clock.js';
import { AppError } from '../common/errors.js';
import { pageByKey, type Page } from '../common/pagination.js';
import { AGENCY_LEVELS, LEVEL_RANK, type AgencyChanges, type AgencyDetail, type AgencyFilter, type AgencyInput, type AgencyView } from './agencies.types.js';
import { Agency, AgencyProcedure } from './agency.entity.js';
import { defaultOfficeHours, officeHoursProblems, type OfficeHours } from './office-hours.js';
import { AgencyErrors } from './agencies.errors.js';

/** Agencies under (and including) :root, following parent links down. UNION stops at a cycle. */
const SUBTREE = `WITH RECURSIVE tree AS (
  SELECT code FROM agency WHERE code = :root
  UNION SELECT child.code FROM agency child JOIN tree t ON child.parent_code = t.code
) SELECT code FROM tree`;

/** :start and its ancestors, nearest first. The depth cap guards against a cycle in old data. */
const ANCESTORS = `WITH RECURSIVE up AS (
  SELECT code, parent_code, 0 AS depth FROM agency WHERE code = $1
  UNION ALL SELECT parent.code, parent.parent_code, up.depth + 1 FROM agency parent JOIN up ON parent.code = up.parent_code WHERE up.depth < 16
) SELECT code FROM up ORDER BY depth`;

/**
 * Agencies: who receives dossiers (service centres) and who resolves which procedure (competent
 * agencies). Since 1/7/2025 a province's centres receive any of its procedures wherever the
 * applicant lives, so the two are looked up separately.
 */
@Injectable()
export class AgenciesService {
  constructor(
    @InjectRepository(Agency) private readonly agencies: Repository<Agency>,
    @InjectRepository(AgencyProcedure) private readonly links: Repository<AgencyProcedure>,
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(CatalogService) private readonly catalog: CatalogService,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async findByCode(code: string): Promise<AgencyView | null> {
    const row = await this.agencies.findOneBy({ code });
    return row ? toView(row) : null;
  }

  /** The agency; 404 AGENCY_NOT_FOUND when there is none. */
  async getByCode(code: string): Promise<AgencyView> {
    const found = await this.findByCode(code);
    if (!found) throw agencyNotFound(code);
    return found;
  }

  async getDetail(code: string): Promise<AgencyDetail> {
    const agency = await this.getByCode(code);
    return { ...agency, procedureCodes: await this.procedureCodesOf(code) };
  }

  /** The province an agency belongs to: the top of its parent chain (itself for a province). */
  async province(code: string): Promise<AgencyView> {
    const chain: Array<{ code: string }> = await this.dataSource.query(ANCESTORS, [code]);
    if (chain.length === 0) throw agencyNotFound(code);
    return this.getByCode(chain[chain.length - 1].code);
  }

  /** The agency and every agency below it (whose calendars inherit its days). */
  async subtreeCodes(code: string): Promise<string[]> {
    const rows: Array<{ code: string }> = await this.dataSource.query(SUBTREE.replace(':root', '$1'), [code]);
    return rows.map((r) => r.code);
  }

  /** Whether the agency is active and competent to resolve the procedure. */
  async resolvesProcedure(agencyCode: string, procedureCode: string): Promise<boolean> {
    return this.links
      .createQueryBuilder('ap')
      .innerJoin(Agency, 'a', 'a.code = ap.agencyCode')
      .where('ap.agencyCode = :agencyCode AND ap.procedureCode = :procedureCode AND a.active', { agencyCode, procedureCode })
      .getExists();
  }

  /** The active agencies of the province that resolve the procedure, by code. */
  async competentAgencies(procedureCode: string, provinceCode: string): Promise<AgencyView[]> {
    await this.getByCode(provinceCode);
    const rows = await this.agencies
      .createQueryBuilder('a')
      .innerJoin(AgencyProcedure, 'ap', 'ap.agencyCode = a.code AND ap.procedureCode = :procedureCode', { procedureCode })
      .where('a.active')
      .andWhere(`a.code IN (${SUBTREE})`, { root: provinceCode })
      .orderBy('a.code')
      .getMany();
    return rows.map(toView);
  }

  /** Whether dossiers may be received at this agency: an active service centre. */
  async isReceivingCentre(code: string): Promise<boolean> {
    return this.agencies.existsBy({ code, isServiceCentre: true, active: true });
  }

  async listAgencies(filter: AgencyFilter): Promise<Page<AgencyView> & { total: number }> {
    const qb = this.agencies.createQueryBuilder('a').where('a.active = :active', { active: filter.active ?? true });
    if (filter.level) qb.andWhere('a.level = :level', { level: filter.level });
    if (filter.parentCode) qb.andWhere('a.parentCode = :parentCode', { parentCode: filter.parentCode });
    if (filter.isServiceCentre !== undefined) qb.andWhere('a.isServiceCentre = :isServiceCentre', { isServiceCentre: filter.isServiceCentre });
    if (filter.procedureCode) {
      qb.andWhere((sub: SelectQueryBuilder<Agency>) => {
        const exists = sub.subQuery().select('1').from(AgencyProcedure, 'ap').where('ap.agencyCode = a.code AND ap.procedureCode = :procedureCode').getQuery();
        return `EXISTS ${exists}`;
      }).setParameter('procedureCode', filter.procedureCode);
    }
    return pageByKey(qb, 'a.code', filter, toView, (a) => a.code);
  }

  async createAgency(input: AgencyInput): Promise<AgencyView> {
    const now = this.clock.now();
    const row = this.agencies.create({
      code: input.code,
      name: input.name,
      level: input.level,
      parentCode: input.parentCode ?? null,
      officeHours: plainOfficeHours(input.officeHours ?? defaultOfficeHours()),
      isServiceCentre: input.isServiceCentre ?? false,
      active: input.active ?? true,
      createdAt: now,
      updatedAt: now,
    });
    await this.assertValid(row);
    try {
      await this.agencies.insert(row);
    } catch (e) {
      if (e instanceof QueryFailedError && (e as { code?: string }).code === '23505') {
        throw AgencyErrors.AGENCY_ALREADY_EXISTS(input.code, [{ field: 'code', message: `${input.code} is taken` }]);
      }
      throw e;
    }
    return toView(row);
  }

  async updateAgency(code: string, changes: AgencyChanges): Promise<AgencyView> {
    return this.dataSource.transaction(async (m) => {
      const row = await m.getRepository(Agency).findOne({ where: { code }, lock: { mode: 'pessimistic_write' } });
      if (!row) throw agencyNotFound(code);
      if (changes.name !== undefined) row.name = changes.name;
      if (changes.level !== undefined) row.level = changes.level;
      if (changes.parentCode !== undefined) row.parentCode = changes.parentCode;
      if (changes.officeHours !== undefined) row.officeHours = plainOfficeHours(changes.officeHours);
      if (changes.isServiceCentre !== undefined) row.isServiceCentre = changes.isServiceCentre;
      if (changes.active !== undefined) row.active = changes.active;
      await this.assertValid(row, m.getRepository(Agency));
      row.updatedAt = this.clock.now();
      await m.save(Agency, row);
      return toView(row);
    });
  }

  /** Sets exactly which procedures the agency resolves; every code must be in the catalogue. */
  async setProcedures(code: string, procedureCodes: string[]): Promise<AgencyDetail> {
    const agency = await this.getByCode(code);
    await this.assertKnownProcedures(procedureCodes);
    await this.dataSource.transaction(async (m) => {
      await m.delete(AgencyProcedure, { agencyCode: code });
      if (procedureCodes.length)
        await m.insert(
          AgencyProcedure,
          procedureCodes.map((procedureCode) => ({ agencyCode: code, procedureCode })),
        );
    });
    return { ...agency, procedureCodes: await this.procedureCodesOf(code) };
  }

  /** Adds procedures to what the agency resolves, keeping the others (idempotent, for imports). */
  async addProcedures(code: string, procedureCodes: string[]): Promise<void> {
    await this.getByCode(code);
    await this.assertKnownProcedures(procedureCodes);
    if (procedureCodes.length === 0) return;
    await this.links
      .createQueryBuilder()
      .insert()
      .values(procedureCodes.map((procedureCode) => ({ agencyCode: code, procedureCode })))
      .orIgnore()
      .execute();
  }

  private async procedureCodesOf(code: string): Promise<string[]> {
    const rows = await this.links.find({ where: { agencyCode: code }, order: { procedureCode: 'ASC' } });
    return rows.map((r) => r.procedureCode);
  }

  private async assertKnownProcedures(codes: string[]): Promise<void> {
    const unknown = await this.catalog.unknownProcedureCodes(codes);
    if (unknown.length === 0) return;
    throw AgencyErrors.UNKNOWN_PROCEDURE_CODES(
      unknown,
      unknown.map((c) => ({ field: `procedureCodes.${codes.indexOf(c)}`, message: `no procedure ${c}` })),
    );
  }

  /**
   * Rules across fields and rows: no active district since the two-tier reform, a parent that
   * exists above the agency and is not its own descendant, and usable office hours.
   */
  private async assertValid(row: Agency, repo: Repository<Agency> = this.agencies): Promise<void> {
    if (row.level === 'DISTRICT' && row.active) {
      throw AgencyErrors.DISTRICT_LEVEL_ABOLISHED([{ field: 'active', message: 'a DISTRICT agency must be inactive' }]);
    }
    const problems = officeHoursProblems(row.officeHours);
    if (problems.length) throw AgencyErrors.INVALID_OFFICE_HOURS(problems[0].message, problems);
    if (!row.parentCode) {
      if (row.level !== 'PROVINCE') throw invalidParent(`Cơ quan cấp ${row.level} phải có cơ quan cấp trên / a ${row.level} agency needs a parentCode`);
    } else {
      const parent = await repo.findOneBy({ code: row.parentCode });
      if (!parent) throw AgencyErrors.PARENT_AGENCY_NOT_FOUND(row.parentCode, [{ field: 'parentCode', message: `no agency ${row.parentCode}` }]);
      if (LEVEL_RANK[parent.level] > LEVEL_RANK[row.level])
        throw invalidParent(`Cơ quan ${row.level} không thể trực thuộc cơ quan ${parent.level} / a ${row.level} agency cannot sit under a ${parent.level} one`);
      const ancestors: Array<{ code: string }> = await repo.manager.query(ANCESTORS, [row.parentCode]);
      if (ancestors.some((a) => a.code === row.code))
        throw invalidParent(`Cơ quan không thể trực thuộc chính nó hoặc đơn vị cấp dưới / ${row.code} cannot sit under itself or one of its own units`);
    }
    const higherLevels = AGENCY_LEVELS.filter((l) => LEVEL_RANK[l] < LEVEL_RANK[row.level]);
    const lowerChild = higherLevels.length
      ? await repo.createQueryBuilder('c').where('c.parentCode = :code AND c.level IN (:...higherLevels)', { code: row.code, higherLevels }).getOne()
      : null;
    if (lowerChild) {
      throw AgencyErrors.INVALID_AGENCY_PARENT(
        `Đơn vị trực thuộc ${lowerChild.code} ở cấp cao hơn / ${lowerChild.code} (${lowerChild.level}) sits under this agency and would be above it`,
        [{ field: 'level', message: `${lowerChild.code} is ${lowerChild.level}` }],
      );
    }
  }
}

function agencyNotFound(code: string): AppError {
  return AgencyErrors.AGENCY_NOT_FOUND(code, [{ field: 'code', message: `no agency ${code}` }]);
}

function invalidParent(message: string): AppError {
  return AgencyErrors.INVALID_AGENCY_PARENT(message, [{ field: 'parentCode', message }]);
}

/** Office hours as plain values (a DTO instance would be stored with its class). */
function plainOfficeHours(h: OfficeHours): OfficeHours {
  return {
    timeZone: h.timeZone,
    cutOff: h.cutOff,
    days: h.days.map((d) => ({ weekday: d.weekday, periods: d.periods.map((p) => ({ start: p.start, end: p.end })) })),
  };
}

function toView(a: Agency): AgencyView {
  return {
    code: a.code,
    name: a.name,
    level: a.level,
    parentCode: a.parentCode,
    officeHours: a.officeHours,
    isServiceCentre: a.isServiceCentre,
    active: a.active,
  };
}
