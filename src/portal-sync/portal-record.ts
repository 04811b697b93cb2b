import { vietnamCompactTime } from '../common/clock.js';
import { STATUS_CODE, type DossierStatus } from '../dossiers/dossier-status.js';
import { CHANNEL_PORTAL_CODE, type Channel } from '../dossiers/intake.js';

/*
 * What one push to the national public-service portal (Cổng DVC quốc gia) says about a dossier, as
 * of one change of its history. The first half is pure and stable: the dossier's state at a given
 * event, read off its hash-chained history (so a push made late still says what that change was,
 * never a later status under an earlier change's name). The second half is the portal's wire
 * record, in one versioned mapping: the portal's specification is not public (and moves to the
 * National Data Center under Decree 309/2026), so the field names below are ASSUMED, after the
 * names vendors' integrations use; a real contract changes PORTAL_MAPPING_VERSION and this file only.
 *
 * This is the first piece of issue 14 part 1 (the sync itself, on src/delivery's engine, is not
 * built yet): tested on its own (portal-record.spec.ts).
 */

/** One event of a dossier's history, as the journal reads it. */
export interface HistoryEvent {
  seq: number;
  type: string;
  at: Date;
  data: Record<string, unknown>;
}

/** A supplement round: when it was asked, the citizen's deadline, and the due date before and after it. */
export interface SupplementRound {
  requestedAt: Date;
  supplementDueAt: Date | null;
  /** The dossier's due date when the supplement was asked. */
  dueAtBefore: Date | null;
  suppliedAt: Date | null;
  /** The due date once the supplement came (the clock restarted or resumed). */
  dueAtAfter: Date | null;
}

/** The dossier's state right after one event. */
export interface StateAt {
  seq: number;
  changedAt: Date;
  status: DossierStatus;
  receivedAt: Date | null;
  dueAt: Date | null;
  supplementRounds: SupplementRound[];
  outcome: 'GRANTED' | 'DENIED' | null;
  resolvedAt: Date | null;
  returnedAt: Date | null;
  returnMethod: string | null;
}

const date = (v: unknown): Date | null => (typeof v === 'string' || v instanceof Date ? new Date(v) : null);

/** The dossier's state right after event `seq` (events in order; later ones are not looked at). */
export function stateAt(events: HistoryEvent[], seq: number): StateAt {
  const upto = events.filter((e) => e.seq <= seq);
  if (upto.length === 0 || upto[0].type !== 'SUBMITTED') throw new Error('a dossier history starts with SUBMITTED');
  const s: StateAt = {
    seq, changedAt: upto[upto.length - 1].at, status: 'SUBMITTED' as DossierStatus, receivedAt: null, dueAt: null, supplementRounds: [],
    outcome: null, resolvedAt: null, returnedAt: null, returnMethod: null,
  };
  for (const e of upto) {
    // Workflow actions say where they led; the deadline engine's OVERALL clock events, the due date.
    if (typeof e.data.to === 'string') s.status = e.data.to as DossierStatus;
    // An action's clock events come before its own event (the workflow runs its effects first), so
    // at REQUEST_SUPPLEMENT the due date is the paused clock's, at SUPPLEMENT the restarted one's.
    if (e.data.kind === 'OVERALL' && e.data.newDueAt) s.dueAt = date(e.data.newDueAt);
    switch (e.type) {
      case 'ACCEPT':
        s.receivedAt = e.at;
        break;
      case 'REQUEST_SUPPLEMENT':
        s.supplementRounds.push({ requestedAt: e.at, supplementDueAt: date(e.data.supplementDueAt), dueAtBefore: s.dueAt, suppliedAt: null, dueAtAfter: null });
        break;
      case 'SUPPLEMENT': {
        const open = s.supplementRounds[s.supplementRounds.length - 1];
        if (open && !open.suppliedAt) {
          open.suppliedAt = e.at;
          open.dueAtAfter = s.dueAt;
        }
        break;
      }
      case 'APPROVE':
        s.outcome = e.data.outcome === 'DENIED' ? 'DENIED' : 'GRANTED';
        s.resolvedAt = e.at;
        break;
      case 'RETURN':
        s.returnedAt = e.at;
        s.returnMethod = typeof e.data.method === 'string' ? e.data.method : null;
        break;
    }
  }
  return s;
}

/** What does not change with the history: the dossier's identity, applicant and stored flags. */
export interface PortalDossier {
  code: string;
  procedureCode: string;
  procedureName: string;
  fieldName: string;
  receivingAgencyCode: string;
  competentAgencyCode: string;
  channel: Channel;
  submittedAt: Date;
  applicant: { fullName: string; idNumber: string; phone: string; email?: string; address: string };
  flags: { digitised: boolean; reused: boolean; electronicResult: boolean; applicantVneid: boolean };
  /** Where the citizen (or the portal) fetches the electronic result, once returned. */
  resultLink: string | null;
  /** Fees and whether paid online: filled by the payments capability when the sync is built. */
  fees?: { lines: Array<{ code: string; name: string; amountVnd: number }>; paidOnline: boolean } | null;
}

export const PORTAL_MAPPING_VERSION = 'dvcqg-assumed-1';

const t = (d: Date | null) => (d ? vietnamCompactTime(d) : '');
const yesNo = (b: boolean) => (b ? 1 : 0);

/**
 * The portal's record of a dossier as of one change (mapping PORTAL_MAPPING_VERSION): keyed by the
 * dossier code (an upsert), statuses 1–10, instants as yyyyMMddHHmmss Vietnam time, the channel as
 * KenhThucHien (1 counter, 2 online, 3 post). The electronic result is linked only once returned.
 */
export function portalRecord(d: PortalDossier, s: StateAt): Record<string, unknown> {
  return {
    PhienBanAnhXa: PORTAL_MAPPING_VERSION,
    MaHoSo: d.code,
    MaTTHC: d.procedureCode,
    TenTTHC: d.procedureName,
    TenLinhVuc: d.fieldName,
    MaDonViTiepNhan: d.receivingAgencyCode,
    MaDonViXuLy: d.competentAgencyCode,
    KenhThucHien: CHANNEL_PORTAL_CODE[d.channel],
    ChuHoSo: d.applicant.fullName,
    SoGiayToChuHoSo: d.applicant.idNumber,
    SoDienThoai: d.applicant.phone,
    Email: d.applicant.email ?? '',
    DiaChi: d.applicant.address,
    NgayNopHoSo: t(d.submittedAt),
    NgayTiepNhan: t(s.receivedAt),
    NgayHenTra: t(s.dueAt),
    TrangThaiHoSo: STATUS_CODE[s.status],
    NgayCapNhat: t(s.changedAt),
    NgayKetThucXuLy: t(s.resolvedAt),
    KetQuaXuLy: s.outcome === null ? '' : s.outcome === 'GRANTED' ? 1 : 2,
    NgayTra: t(s.returnedAt),
    HinhThucTra: s.returnMethod ?? '',
    DuongDanKetQua: s.returnedAt && d.flags.electronicResult ? d.resultLink ?? '' : '',
    DanhSachHoSoBoSung: s.supplementRounds.map((r, i) => ({
      LanBoSung: i + 1, NgayYeuCau: t(r.requestedAt), HanBoSung: t(r.supplementDueAt), NgayHenTraCu: t(r.dueAtBefore),
      NgayBoSung: t(r.suppliedAt), NgayHenTraMoi: t(r.dueAtAfter),
    })),
    DanhSachLePhi: (d.fees?.lines ?? []).map((l) => ({ MaLePhi: l.code, TenLePhi: l.name, SoTien: l.amountVnd })),
    ThanhToanTrucTuyen: d.fees ? yesNo(d.fees.paidOnline) : '',
    SoHoaThanhPhan: yesNo(d.flags.digitised),
    TaiSuDungThanhPhan: yesNo(d.flags.reused),
    CoKetQuaDienTu: yesNo(d.flags.electronicResult && s.returnedAt !== null),
    XacThucVNeID: yesNo(d.flags.applicantVneid),
  };
}
