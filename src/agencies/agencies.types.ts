import type { OfficeHours } from './office-hours.js';

/**
 * Local government levels. Since 1/7/2025 there are two tiers, province and commune (xã, phường,
 * đặc khu); DISTRICT stays only to record agencies that existed before, always inactive.
 */
export const AGENCY_LEVELS = ['PROVINCE', 'DISTRICT', 'COMMUNE'] as const;
export type AgencyLevel = (typeof AGENCY_LEVELS)[number];

/** Higher levels first: a parent may not sit below its child. */
export const LEVEL_RANK: Record<AgencyLevel, number> = { PROVINCE: 1, DISTRICT: 2, COMMUNE: 3 };

export interface AgencyView {
  code: string;
  name: string;
  level: AgencyLevel;
  parentCode: string | null;
  officeHours: OfficeHours;
  isServiceCentre: boolean;
  active: boolean;
}

export interface AgencyDetail extends AgencyView {
  /** Codes of the procedures this agency resolves. */
  procedureCodes: string[];
}

export interface AgencyInput {
  code: string;
  name: string;
  level: AgencyLevel;
  parentCode?: string | null;
  officeHours?: OfficeHours;
  isServiceCentre?: boolean;
  active?: boolean;
}

export type AgencyChanges = Partial<Omit<AgencyInput, 'code'>>;

export interface AgencyFilter {
  level?: AgencyLevel;
  parentCode?: string;
  isServiceCentre?: boolean;
  procedureCode?: string;
  active?: boolean;
  cursor?: string;
  limit?: number;
}
