import { STATUS_CODE, type DossierStatus } from '../dossier-record/dossier-status.js';
import { vietnamCompactTime } from '../common/clock.js';
import { CHANNEL_PORTAL_CODE, type Channel } from '../dossier-record/channels.js';
import type { PortalFees } from '../payments/portal-fees.js';

/**
 * THE one place where our dossier becomes the national portal's record: field names, status codes
 * and date format. The official contract is not public; what is assumed here, and what a real
 * contract would change, is written in docs/PORTAL-SYNC.md. A new contract is a new version
 * (a new `PortalMapping` object and PORTAL_MAPPING_VERSION), not an edit of this one: stored
 * pushes say which version built them.
 */
export const PORTAL_MAPPING_VERSION = 'dvcqg-assumed-v1';

/** A dossier as of one change: what the push carries, before it is named the portal's way. */
export interface PortalSnapshot {
  dossierId: string;
  code: string;
  /** The history event this snapshot is as of (its seq), or null for a full snapshot of now. */
  asOfSeq: number | null;
  changeLabel: string;
  status: DossierStatus;
  changedAt: Date;
  procedureCode: string;
  procedureName: string;
  fieldCode: string;
  receivingAgencyCode: string;
  competentAgencyCode: string;
  channel: Channel;
  applicant: { fullName: string; idNumber: string; phone: string; email?: string; address: string };
  submittedAt: Date;
  receivedAt: Date | null;
  dueAt: Date | null;
  supplementRounds: Array<{
    requestedAt: Date;
    items: unknown;
    supplementDueAt: Date | null;
    oldDueAt: Date | null;
    suppliedAt: Date | null;
    newDueAt: Date | null;
  }>;
  result: { outcome: string | null; resolvedAt: Date | null; returnedAt: Date | null; returnMethod: string | null; electronicLink: string | null } | null;
  flags: { digitised: boolean; reused: boolean; electronicResult: boolean; applicantVneid: boolean };
  /** From a FeesProvider (the payments module), when one is registered; otherwise absent. */
  fees?: PortalFees;
}

/** Fee lines and whether they were paid online: the payments module's answer (PaymentPortalFees), through PortalFeesProvider. */
export type { PortalFees };

/**
 * The hook the payments module fills (src/payments/portal-fees.ts): given dossier ids, their fee lines
 * and whether paid online, as of the instant given (the change a push reports) or of now when null.
 * Until one is registered (PortalSyncService.useFeesProvider), pushes carry no fee fields rather than
 * invented ones.
 */
export interface PortalFeesProvider {
  feesOf(dossierIds: string[], asOf?: Date | null): Promise<Map<string, PortalFees>>;
}

/** Portal status code (TrangThaiHoSo): ours are the portal's 1–10 already (DOMAIN.md). */
export function portalStatus(status: DossierStatus): number {
  return STATUS_CODE[status];
}

/** `yyyyMMddHHmmss` in Vietnam time (UTC+7, no daylight saving). */
export function portalTime(d: Date | null | undefined): string | null {
  return d ? vietnamCompactTime(d) : null;
}

/** The upsert body for the portal, keyed on MaHoSo (the dossier code). */
export function toPortalRecord(s: PortalSnapshot): Record<string, unknown> {
  return {
    MaHoSo: s.code,
    PhienBanAnhXa: PORTAL_MAPPING_VERSION,
    MaTTHC: s.procedureCode,
    TenTTHC: s.procedureName,
    MaLinhVuc: s.fieldCode,
    MaDonViTiepNhan: s.receivingAgencyCode,
    MaDonViXuLy: s.competentAgencyCode,
    KenhThucHien: CHANNEL_PORTAL_CODE[s.channel],
    ChuHoSo: s.applicant.fullName,
    SoGiayToChuHoSo: s.applicant.idNumber,
    SoDienThoai: s.applicant.phone,
    Email: s.applicant.email ?? null,
    DiaChi: s.applicant.address,
    TrangThaiHoSo: portalStatus(s.status),
    NoiDungThayDoi: s.changeLabel,
    ThoiDiemThayDoi: portalTime(s.changedAt),
    NgayNopHoSo: portalTime(s.submittedAt),
    NgayTiepNhan: portalTime(s.receivedAt),
    NgayHenTra: portalTime(s.dueAt),
    NgayKetThucXuLy: portalTime(s.result?.resolvedAt),
    NgayTra: portalTime(s.result?.returnedAt),
    HinhThucTra: s.result?.returnMethod ?? null,
    KetQuaXuLy: s.result?.outcome ?? null,
    DuongDanKetQuaDienTu: s.result?.electronicLink ?? null,
    DanhSachHoSoBoSung: s.supplementRounds.map((r, i) => ({
      LanBoSung: i + 1,
      NgayYeuCauBoSung: portalTime(r.requestedAt),
      NoiDungBoSung: r.items,
      HanBoSung: portalTime(r.supplementDueAt),
      NgayBoSung: portalTime(r.suppliedAt),
      NgayHenTraTruoc: portalTime(r.oldDueAt),
      NgayHenTraMoi: portalTime(r.newDueAt),
    })),
    ...(s.fees
      ? {
          DanhSachLePhi: s.fees.lines.map((l) => ({ MaPhiLePhi: l.code, TenPhiLePhi: l.name, SoTien: l.amountVnd, DaThanhToan: l.paid })),
          ThanhToanTrucTuyen: s.fees.paidOnline ? 1 : 0,
        }
      : {}),
    HoSoSoHoa: s.flags.digitised ? 1 : 0,
    TaiSuDungDuLieu: s.flags.reused ? 1 : 0,
    CoKetQuaDienTu: s.flags.electronicResult ? 1 : 0,
    XacThucVNeID: s.flags.applicantVneid ? 1 : 0,
  };
}

/** The fields the portal's count query is asked by (agency, Vietnam day of receipt). */
export const PORTAL_COUNT_FIELDS = { agency: 'MaDonViTiepNhan', day: 'Ngay' } as const;
