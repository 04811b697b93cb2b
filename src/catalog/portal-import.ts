import {
  PROCEDURE_AGENCY_LEVELS,
  SERVICE_LEVELS,
  type Duration,
  type DurationUnit,
  type ProcedureAgencyLevel,
  type ProcedureInput,
  type ProcessStep,
  type ServiceLevel,
  normaliseServiceLevel,
} from './catalog.types.js';
import { componentCode, componentRequirements, isSignatureRequired } from './component-rules.js';
import { Role } from '../common/auth-context.js';
import { guessKind } from './fee-lines.js';

/** The part of a national-portal record (data/procedures.json) the catalogue reads. */
export interface PortalProcedure {
  code: string;
  name: string;
  nameEn?: string | null;
  field: string | null;
  agencyLevels: string[];
  serviceLevel: string | number;
  timeLimit: { value: number | null; unit: string | null } | null;
  fees: Array<{ name: string; amountVnd: number | null; text: string | null; feeType?: string | null }>;
  components: Array<{ name: string; group: string | null; originalRequired: boolean }>;
  implementingAgencies?: string[] | null;
}

export type PortalImport = { ok: true; input: ProcedureInput; notes: string[] } | { ok: false; code: string; reason: string };

/*
 * How a portal record becomes a catalogue procedure (also in docs/CATALOGUE.md):
 * - serviceLevel UNKNOWN (in person only, e.g. chứng thực, or an interlinked bundle without a
 *   full-process flag): skipped. Such a procedure is not an online service, and this catalogue is
 *   what citizens file online against; an administrator can add it once its level is known.
 *   Legacy levels 3 and 4 are accepted as PARTIAL_ONLINE and FULL_ONLINE.
 * - no time-limit value (2.000635 lists 1 to 15 working days per case, 2.002913 nothing): skipped;
 *   guessing a legal limit would put wrong due dates on receipts.
 * - a value without a unit (1.000894, 1.000656: "1"): WORKING_DAYS, the unit administrative time
 *   limits are set in unless a text says otherwise, and the unit of their service cases.
 * - components: required per component-rules.ts, codes TP01, TP02… in file order.
 * - every procedure gets the standard three-step process, within its limit (standardProcess).
 */
export function procedureFromPortal(record: PortalProcedure): PortalImport {
  const skip = (reason: string): PortalImport => ({ ok: false, code: record.code, reason });
  const serviceLevel = normaliseServiceLevel(record.serviceLevel);
  if (!SERVICE_LEVELS.includes(serviceLevel as ServiceLevel)) {
    return skip(`service level ${record.serviceLevel}: not an online service (in person only, or no full-process flag)`);
  }
  if (!record.field) return skip('no field (lĩnh vực) published');
  const agencyLevels = record.agencyLevels.filter((l): l is ProcedureAgencyLevel => PROCEDURE_AGENCY_LEVELS.includes(l as ProcedureAgencyLevel));
  if (agencyLevels.length === 0) return skip(`no province or commune level (${record.agencyLevels.join(', ') || 'none'})`);
  const value = record.timeLimit?.value;
  if (value === null || value === undefined || value <= 0) return skip('no single legal time limit published');
  const notes: string[] = [];
  let unit = record.timeLimit?.unit as DurationUnit | null;
  if (!unit) {
    unit = 'WORKING_DAYS';
    notes.push(`time limit ${value} has no unit: read as working days`);
  }
  const timeLimit: Duration = { value, unit };
  const required = componentRequirements(record.components);
  return {
    ok: true,
    notes,
    input: {
      code: record.code,
      name: record.name,
      nameEn: record.nameEn ?? null,
      field: record.field,
      serviceLevel: serviceLevel as ServiceLevel,
      agencyLevels,
      timeLimit,
      fees: record.fees.map((f) => ({ name: f.name, amountVnd: f.amountVnd, text: f.text, kind: guessKind(f.text, f.feeType ?? null) })),
      components: record.components.map((c, i) => ({
        code: componentCode(i),
        name: c.name,
        group: c.group,
        required: required[i],
        signatureRequired: isSignatureRequired(c.name),
        originalRequired: c.originalRequired,
      })),
      steps: standardProcess(timeLimit),
    },
  };
}

/**
 * Reception → specialist → leader, using the whole legal limit: half a day each for reception and
 * for the leader's approval and signature, the rest for the specialist; for limits under two
 * days, 1/8 for reception, 1/4 for the leader. A placeholder for each agency's approved process.
 */
export function standardProcess(limit: Duration): ProcessStep[] {
  const hours = limit.value * (limit.unit === 'WORKING_HOURS' ? 1 : 8);
  const round = (n: number) => Math.round(n * 100) / 100;
  const [reception, leader] = hours >= 16 ? [4, 4] : [round(hours / 8), round(hours / 4)];
  const specialist = round(hours - reception - leader);
  const dayUnit: DurationUnit = limit.unit === 'CALENDAR_DAYS' ? 'CALENDAR_DAYS' : 'WORKING_DAYS';
  const specialistBudget: Duration = specialist % 8 === 0 ? { value: specialist / 8, unit: dayUnit } : { value: specialist, unit: 'WORKING_HOURS' };
  return [
    { code: 'RECEIVE', name: 'Tiếp nhận, kiểm tra và chuyển hồ sơ', role: Role.RECEPTION_OFFICER, budget: { value: reception, unit: 'WORKING_HOURS' } },
    { code: 'REVIEW', name: 'Thẩm định, xử lý hồ sơ', role: Role.SPECIALIST, budget: specialistBudget },
    { code: 'APPROVE', name: 'Phê duyệt, ký kết quả', role: Role.LEADER, budget: { value: leader, unit: 'WORKING_HOURS' } },
  ];
}
