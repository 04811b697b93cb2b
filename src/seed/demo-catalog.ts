import type { INestApplication } from '@nestjs/common';
import { AgenciesService } from '../agencies/agencies.service.js';
import type { AgencyInput } from '../agencies/agencies.types.js';
import { CatalogService } from '../catalog/catalog.service.js';
import type { ProcedureAgencyLevel } from '../catalog/catalog.types.js';
import { procedureFromPortal, type PortalProcedure } from '../catalog/portal-import.js';
import { AppError } from '../common/errors.js';
import { readProjectData } from '../common/project-data.js';
import { foldVietnamese } from '../common/text-search.js';

/*
 * Demo agencies: Thanh Hóa province (level-1 id H56) in its two-tier form since 1/7/2025. The
 * names are real units; the ids follow the QCVN 102:2016 form but are illustrative, not the
 * province's published catalogue of electronic ids. Each commune (and the provincial centre) is a
 * service centre; the provincial departments are the competent agencies of provincial procedures.
 */
export const DEMO_PROVINCE_CODE = '000.00.00.H56';
export const DEMO_PROVINCIAL_CENTRE_CODE = '000.00.01.H56';

const province = DEMO_PROVINCE_CODE;
const DEMO_AGENCIES: AgencyInput[] = [
  { code: province, name: 'Ủy ban nhân dân tỉnh Thanh Hóa', level: 'PROVINCE', parentCode: null, isServiceCentre: false },
  {
    code: DEMO_PROVINCIAL_CENTRE_CODE,
    name: 'Trung tâm Phục vụ hành chính công tỉnh Thanh Hóa',
    level: 'PROVINCE',
    parentCode: province,
    isServiceCentre: true,
  },
  { code: '000.00.03.H56', name: 'Sở Tài chính tỉnh Thanh Hóa', level: 'PROVINCE', parentCode: province, isServiceCentre: false },
  { code: '000.00.04.H56', name: 'Sở Nông nghiệp và Môi trường tỉnh Thanh Hóa', level: 'PROVINCE', parentCode: province, isServiceCentre: false },
  { code: '000.00.05.H56', name: 'Công an tỉnh Thanh Hóa', level: 'PROVINCE', parentCode: province, isServiceCentre: false },
  { code: '000.00.06.H56', name: 'Bảo hiểm xã hội tỉnh Thanh Hóa', level: 'PROVINCE', parentCode: province, isServiceCentre: false },
  { code: '000.00.20.H56', name: 'Ủy ban nhân dân phường Hạc Thành', level: 'COMMUNE', parentCode: province, isServiceCentre: true },
  { code: '000.00.21.H56', name: 'Ủy ban nhân dân phường Hàm Rồng', level: 'COMMUNE', parentCode: province, isServiceCentre: true },
  { code: '000.00.22.H56', name: 'Ủy ban nhân dân phường Sầm Sơn', level: 'COMMUNE', parentCode: province, isServiceCentre: true },
  { code: '000.00.23.H56', name: 'Ủy ban nhân dân xã Nga Sơn', level: 'COMMUNE', parentCode: province, isServiceCentre: true },
  // History: the city's district-level committee, dissolved on 1/7/2025 (Hạc Thành took its centre).
  {
    code: '000.00.40.H56',
    name: 'Ủy ban nhân dân thành phố Thanh Hóa (cấp huyện, đến 30/6/2025)',
    level: 'DISTRICT',
    parentCode: province,
    isServiceCentre: false,
    active: false,
  },
];

/**
 * Which department resolves a provincial procedure, read from the portal's "implementing agency"
 * (cơ quan thực hiện), folded. Since 2025 judicial records, driving licences, passports and ID
 * cards are police matters; business registration sits in the Department of Finance; land
 * registration offices under Agriculture and Environment.
 */
const DEPARTMENT_BY_IMPLEMENTER: Array<[RegExp, string]> = [
  [/cong an|canh sat/, '000.00.05.H56'],
  [/so tai chinh/, '000.00.03.H56'],
  [/dat dai|nong nghiep va moi truong/, '000.00.04.H56'],
  [/bao hiem xa hoi/, '000.00.06.H56'],
];

export interface DemoSeedReport {
  agenciesCreated: string[];
  proceduresCreated: string[];
  proceduresExisting: string[];
  proceduresSkipped: Array<{ code: string; reason: string }>;
}

/**
 * Loads the demo province, its agencies and every usable procedure of data/procedures.json, and
 * says who resolves what: commune procedures by every commune, provincial ones by the matching
 * department. Idempotent: what exists is left as it is (an administrator's later edits survive a
 * restart), so pairs are only added for an agency or procedure created by this run.
 */
export async function seedDemoCatalog(app: INestApplication, say: (line: string) => void = () => undefined): Promise<DemoSeedReport> {
  const agencies = app.get(AgenciesService);
  const catalog = app.get(CatalogService);
  const report: DemoSeedReport = { agenciesCreated: [], proceduresCreated: [], proceduresExisting: [], proceduresSkipped: [] };

  for (const agency of DEMO_AGENCIES) {
    if (await agencies.findByCode(agency.code)) continue;
    if (await ignoringConflict(() => agencies.createAgency(agency))) report.agenciesCreated.push(agency.code);
  }

  const resolvers = new Map<string, string[]>();
  for (const record of loadPortalProcedures()) {
    const imported = procedureFromPortal(record);
    if (!imported.ok) {
      report.proceduresSkipped.push({ code: imported.code, reason: imported.reason });
      say(`demo catalogue: skipped ${imported.code}: ${imported.reason}`);
      continue;
    }
    for (const note of imported.notes) say(`demo catalogue: ${record.code}: ${note}`);
    if (await catalog.findProcedure(record.code)) {
      report.proceduresExisting.push(record.code);
    } else if (await ignoringConflict(() => catalog.createProcedure(imported.input))) {
      report.proceduresCreated.push(record.code);
    }
    resolvers.set(record.code, competentDemoAgencies(imported.input.agencyLevels, record.implementingAgencies ?? []));
    if (resolvers.get(record.code)!.length === 0) say(`demo catalogue: ${record.code}: no demo agency resolves it`);
  }

  const isNew = (agencyCode: string, procedureCode: string) => report.agenciesCreated.includes(agencyCode) || report.proceduresCreated.includes(procedureCode);
  const byAgency = new Map<string, string[]>();
  for (const [procedureCode, agencyCodes] of resolvers) {
    for (const agencyCode of agencyCodes.filter((a) => isNew(a, procedureCode))) byAgency.set(agencyCode, [...(byAgency.get(agencyCode) ?? []), procedureCode]);
  }
  for (const [agencyCode, procedureCodes] of byAgency) await agencies.addProcedures(agencyCode, procedureCodes);

  say(
    `demo catalogue: ${report.agenciesCreated.length} agencies and ${report.proceduresCreated.length} procedures added, ${report.proceduresSkipped.length} procedures skipped`,
  );
  return report;
}

function competentDemoAgencies(levels: ProcedureAgencyLevel[], implementers: string[]): string[] {
  const out: string[] = [];
  if (levels.includes('COMMUNE')) out.push(...DEMO_AGENCIES.filter((a) => a.level === 'COMMUNE' && a.active !== false).map((a) => a.code));
  if (levels.includes('PROVINCE')) {
    const text = foldVietnamese(implementers.join('; '));
    const department = DEPARTMENT_BY_IMPLEMENTER.find(([pattern]) => pattern.test(text));
    if (department) out.push(department[1]);
  }
  return out;
}

/** Another replica may be seeding at the same moment: losing that race is fine. */
async function ignoringConflict(create: () => Promise<unknown>): Promise<boolean> {
  try {
    await create();
    return true;
  } catch (e) {
    if (e instanceof AppError && e.status === 409) return false;
    throw e;
  }
}

/** data/procedures.json at the project root. */
export function loadPortalProcedures(): PortalProcedure[] {
  return readProjectData<PortalProcedure[]>('procedures.json');
}
