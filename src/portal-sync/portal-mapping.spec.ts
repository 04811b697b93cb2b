import { describe, expect, it } from '@jest/globals';
import { DossierStatus } from '../dossier-record/dossier-status.js';
import { portalTime, toPortalRecord } from './portal-mapping.js';
import { eventOfChange, snapshotAsOf, type DossierFacts, type HistoryEvent } from './portal-snapshot.js';

const facts: DossierFacts = {
  dossierId: 'd1',
  code: '000.00.20.H56-261203-0001',
  procedureCode: '1.001193',
  procedureName: 'Đăng ký khai sinh',
  fieldCode: 'Hộ tịch',
  receivingAgencyCode: '000.00.20.H56',
  competentAgencyCode: '000.00.20.H56',
  channel: 'COUNTER',
  applicant: { fullName: 'Nguyễn Văn An', idNumber: '038090000001', phone: '0912345678', address: 'Thanh Hóa' },
  reused: true,
  applicantVneid: false,
  resultFileId: 'f1',
};
const at = (s: string) => new Date(s);
const history: HistoryEvent[] = [
  { seq: 1, type: 'SUBMITTED', at: at('2026-12-03T01:00:00Z'), data: { sources: [{ source: 'SCANNED' }] } },
  { seq: 2, type: 'DEADLINE_STARTED', at: at('2026-12-03T02:00:00Z'), data: { kind: 'OVERALL', newDueAt: '2026-12-05T10:00:00Z' } },
  { seq: 3, type: 'ACCEPT', at: at('2026-12-03T02:00:00Z'), data: { action: 'accept', to: 'RECEIVED' } },
  { seq: 4, type: 'ASSIGN', at: at('2026-12-03T03:00:00Z'), data: { action: 'assign', to: 'IN_PROGRESS' } },
  {
    seq: 5,
    type: 'REQUEST_SUPPLEMENT',
    at: at('2026-12-03T04:00:00Z'),
    data: { action: 'request-supplement', to: 'SUPPLEMENT_REQUESTED', items: [{ description: 'x' }], supplementDueAt: '2026-12-10T04:00:00Z' },
  },
  { seq: 6, type: 'DEADLINE_RESTARTED', at: at('2026-12-04T04:00:00Z'), data: { kind: 'OVERALL', newDueAt: '2026-12-08T10:00:00Z' } },
  { seq: 7, type: 'SUPPLEMENT', at: at('2026-12-04T04:00:00Z'), data: { action: 'supplement', to: 'IN_PROGRESS', source: 'UPLOADED' } },
  { seq: 8, type: 'APPROVE', at: at('2026-12-05T04:00:00Z'), data: { action: 'approve', to: 'RESOLVED', outcome: 'GRANTED' } },
  { seq: 9, type: 'RETURN', at: at('2026-12-05T05:00:00Z'), data: { action: 'return', to: 'RETURNED', method: 'ONLINE', electronicResult: true } },
];

describe('portal mapping', () => {
  it('writes dates as yyyyMMddHHmmss in Vietnam time', () => {
    expect(portalTime(at('2026-12-31T17:30:05Z'))).toBe('20270101003005');
    expect(portalTime(null)).toBeNull();
  });

  it('builds the record as of a change, never with a later state', () => {
    const asked = eventOfChange(history, { status: DossierStatus.SUPPLEMENT_REQUESTED, at: '2026-12-03T04:00:00.000Z' })!;
    const r = toPortalRecord(snapshotAsOf(facts, history, asked.seq, { resultLink: (f) => `/files/${f}` }));
    expect(r).toMatchObject({
      TrangThaiHoSo: 5,
      KenhThucHien: 1,
      NgayTiepNhan: '20261203090000',
      NgayHenTra: '20261205170000',
      HoSoSoHoa: 1,
      TaiSuDungDuLieu: 1,
      CoKetQuaDienTu: 0,
      KetQuaXuLy: null,
    });
    expect(r.DanhSachHoSoBoSung).toEqual([expect.objectContaining({ NgayHenTraTruoc: '20261205170000', NgayBoSung: null, NgayHenTraMoi: null })]);
    const all = toPortalRecord(snapshotAsOf(facts, history, null, { resultLink: (f) => `/files/${f}` }));
    expect(all).toMatchObject({
      TrangThaiHoSo: 10,
      NgayHenTra: '20261208170000',
      KetQuaXuLy: 'GRANTED',
      CoKetQuaDienTu: 1,
      DuongDanKetQuaDienTu: '/files/f1',
      NgayTra: '20261205120000',
    });
    expect(all.DanhSachHoSoBoSung).toEqual([expect.objectContaining({ NgayBoSung: '20261204110000', NgayHenTraMoi: '20261208170000' })]);
    expect(all).not.toHaveProperty('DanhSachLePhi');
  });

  it('finds a filing and an acceptance made at the same instant apart', () => {
    const same = [{ ...history[0], at: history[2].at }, history[1], history[2]];
    expect(eventOfChange(same, { status: DossierStatus.SUBMITTED, at: history[2].at.toISOString() })!.seq).toBe(1);
    expect(eventOfChange(same, { status: DossierStatus.RECEIVED, at: history[2].at.toISOString() })!.seq).toBe(3);
  });
});
