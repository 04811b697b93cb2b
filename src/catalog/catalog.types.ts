import { Role } from '../common/auth-context.js';
import type { ApplicantCategory, FeeChannel, FeeCollectionPoint, FeeKind } from './fee-kinds.js';

/** Decree 42/2022 (and 224/2026 after it): the two levels of online public service. */
export const SERVICE_LEVELS = ['FULL_ONLINE', 'PARTIAL_ONLINE'] as const;
export type ServiceLevel = (typeof SERVICE_LEVELS)[number];

/** Since 1/7/2025 procedures are handled at province or commune level; district is gone. */
export const PROCEDURE_AGENCY_LEVELS = ['PROVINCE', 'COMMUNE'] as const;
export type ProcedureAgencyLevel = (typeof PROCEDURE_AGENCY_LEVELS)[number];

export const DURATION_UNITS = ['WORKING_DAYS', 'WORKING_HOURS', 'CALENDAR_DAYS'] as const;
export type DurationUnit = (typeof DURATION_UNITS)[number];

/** Who carries out a step of the internal process. */
export const STEP_ROLES = [Role.RECEPTION_OFFICER, Role.SPECIALIST, Role.LEADER] as const;
export type StepRole = (typeof STEP_ROLES)[number];

export interface Duration {
  value: number;
  unit: DurationUnit;
}

/** A fee line (phí or lệ phí) of a procedure; see fee-lines.ts for the rules. */
export interface Fee {
  /** Unique within the procedure (LP01, LP02, … when not given). */
  code: string;
  name: string;
  kind: FeeKind;
  /** Null when the amount depends on the case (an officer sets it on the payment request). */
  amountVnd: number | null;
  collectAt: FeeCollectionPoint;
  channels: FeeChannel[];
  /** Applicant categories exempt from the line (their amount is 0). */
  exemptCategories: ApplicantCategory[];
  text: string | null;
}

/** One component (thành phần hồ sơ) of a dossier for the procedure. */
export interface DossierComponent {
  code: string;
  name: string;
  required: boolean;
  signatureRequired: boolean;
  originalRequired: boolean;
  group: string | null;
}

/** One step of the approved internal process (quy trình nội bộ), with its time budget. */
export interface ProcessStep {
  code: string;
  name: string;
  role: StepRole;
  budget: Duration;
}

/**
 * What a supplement request does to the procedure (Decree 61/2018 Art. 19 as amended; special laws
 * may differ): the citizen's days to supplement (calendar days, moved to a working day), and the
 * processing clock after a supplement requested during processing: RESTART from zero (the general
 * rule) or PAUSE while waiting and RESUME after.
 */
export const SUPPLEMENT_CLOCK_RULES = ['RESTART', 'PAUSE'] as const;
export type SupplementClockRule = (typeof SUPPLEMENT_CLOCK_RULES)[number];
export interface SupplementPolicy {
  days: number;
  clock: SupplementClockRule;
}
export const DEFAULT_SUPPLEMENT_POLICY: SupplementPolicy = { days: 30, clock: 'RESTART' };

/** What an administrator (or an import) gives to create a procedure. */
export interface ProcedureInput {
  code: string;
  name: string;
  nameEn?: string | null;
  field: string;
  serviceLevel: ServiceLevel;
  agencyLevels: ProcedureAgencyLevel[];
  timeLimit: Duration;
  fees?: Array<{ name: string; amountVnd?: number | null; text?: string | null } & Partial<Omit<Fee, 'name' | 'amountVnd' | 'text'>>>;
  components?: Array<Omit<DossierComponent, 'group'> & { group?: string | null }>;
  steps: ProcessStep[];
  supplement?: SupplementPolicy;
}

/** A procedure as the catalogue answers it. `version` is bumped on every change. */
export interface ProcedureView {
  code: string;
  name: string;
  nameEn: string | null;
  field: string;
  serviceLevel: ServiceLevel;
  agencyLevels: ProcedureAgencyLevel[];
  timeLimit: Duration;
  fees: Fee[];
  components: DossierComponent[];
  steps: ProcessStep[];
  /** Revisions stored before it existed are read with DEFAULT_SUPPLEMENT_POLICY. */
  supplement: SupplementPolicy;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export type ProcedureSummary = Pick<ProcedureView, 'code' | 'name' | 'nameEn' | 'field' | 'serviceLevel' | 'agencyLevels' | 'timeLimit' | 'version'>;

/**
 * Legacy systems (and older national-portal exports) store levels 2/3/4; 3 is partial online and 4
 * full online. Level 2 (information only) is not an online service and has no equivalent, so it is
 * returned unchanged for validation to refuse.
 */
export function normaliseServiceLevel(value: unknown): unknown {
  const legacy = typeof value === 'string' ? value.trim() : value;
  if (legacy === 3 || legacy === '3') return 'PARTIAL_ONLINE';
  if (legacy === 4 || legacy === '4') return 'FULL_ONLINE';
  return value;
}
