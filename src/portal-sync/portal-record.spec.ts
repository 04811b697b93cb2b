import { describe, expect, it } from '@jest/globals';
import { portalRecord, stateAt, type HistoryEvent, type PortalDossier } from './portal-record.js';

// A dossier's life as the journal records it: each action's clock events before its own event.
let seq = 0;
const ev = (type: string, at: string, data: Record<string, unknown> = {}): HistoryEvent => ({ seq: ++seq, type, at: new Date(at), data });
const overall = (at: string, newDueAt: string, state = 'RUNNING') => ev('CLOCK', at, { kind: 'OVERALL', state, newDueAt });
const life: HistoryEvent[] = [
  ev('SUBMITTED', '2026-12-01T02:00:00Z', { status: 'SUBMITTED' }),
  overall('2026-12-01T03:00:00Z', '2026-12-04T10:00:00Z'),
  ev('ACCEPT', '2026-12-01T03:00:00Z', { from: 'SUBMITTED', to: 'RECEIVED' }),
  ev('ASSIGN', '2026-12-01T04:00:00Z', { from: 'RECEIVED', to: 'IN_PROGRESS' }),
  overall('2026-12-02T02:00:00Z', '2026-12-04T10:00:00Z', 'PAUSED'),
  ev('REQUEST_SUPPLEMENT', '2026-12-02T02:00:00Z', { from: 'IN_PROGRESS', to: 'SUPPLEMENT_REQUESTED', supplementDueAt: '2027-01-01T10:00:00Z' }),
  overall('2026-12-03T02:00:00Z', '2026-12-08T02:00:00Z'), // restarted from zero on the supplement
  ev('SUPPLEMENT', '2026-12-03T02:00:00Z', { from: 'SUPPLEMENT_REQUESTED', to: 'IN_PROGRESS' }),
  ev('APPROVE', '2026-12-05T08:00:00Z', { from: 'IN_PROGRESS', to: 'RESOLVED', outcome: 'GRANTED' }),
  ev('RETURN', '2026-12-05T09:30:00Z', { from: 'RESOLVED', to: 'RETURNED', method: 'COUNTER' }),
];
const dossier: PortalDossier = {
  code: '000.00.20.H56-261201-0001', procedureCode: '1.004873', procedureName: 'Thủ tục cấp Giấy xác nhận tình trạng hôn nhân', fieldName: 'Hộ tịch',
  receivingAgencyCode: '000.00.20.H56', competentAgencyCode: '000.00.20.H56', channel: 'COUNTER', submittedAt: new Date('2026-12-01T02:00:00Z'),
  applicant: { fullName: 'Trịnh Thị Hoa', idNumber: '001090864201', phone: '0912777888', address: 'Số 12 Lê Hoàn' },
  flags: { digitised: true, reused: false, electronicResult: true, applicantVneid: true }, resultLink: 'https://dvc.example/kq/1',
};

describe('a dossier as of one change of its history', () => {
  it('is SUBMITTED with no dates but its filing right after the filing, however much followed', () => {
    const s = stateAt(life, 1);
    expect(s).toMatchObject({ status: 'SUBMITTED', receivedAt: null, dueAt: null, supplementRounds: [], outcome: null });
    expect(portalRecord(dossier, s)).toMatchObject({ MaHoSo: dossier.code, TrangThaiHoSo: 1, KenhThucHien: 1, NgayNopHoSo: '20261201090000', NgayTiepNhan: '', NgayHenTra: '' });
  });

  it('carries the supplement round with the due date before it and after it', () => {
    const asked = stateAt(life, 6);
    expect(asked.status).toBe('SUPPLEMENT_REQUESTED');
    expect(asked.supplementRounds).toEqual([{ requestedAt: new Date('2026-12-02T02:00:00Z'), supplementDueAt: new Date('2027-01-01T10:00:00Z'),
      dueAtBefore: new Date('2026-12-04T10:00:00Z'), suppliedAt: null, dueAtAfter: null }]);
    const back = portalRecord(dossier, stateAt(life, 8));
    expect(back).toMatchObject({ TrangThaiHoSo: 4, NgayHenTra: '20261208090000',
      DanhSachHoSoBoSung: [{ LanBoSung: 1, NgayYeuCau: '20261202090000', HanBoSung: '20270101170000', NgayHenTraCu: '20261204170000', NgayBoSung: '20261203090000', NgayHenTraMoi: '20261208090000' }] });
  });

  it('links the electronic result only once the dossier is returned', () => {
    const resolved = portalRecord(dossier, stateAt(life, 9));
    expect(resolved).toMatchObject({ TrangThaiHoSo: 9, KetQuaXuLy: 1, NgayKetThucXuLy: '20261205150000', NgayTra: '', DuongDanKetQua: '', CoKetQuaDienTu: 0 });
    const returned = portalRecord(dossier, stateAt(life, 10));
    expect(returned).toMatchObject({ TrangThaiHoSo: 10, NgayTra: '20261205163000', HinhThucTra: 'COUNTER', DuongDanKetQua: 'https://dvc.example/kq/1', CoKetQuaDienTu: 1,
      SoHoaThanhPhan: 1, TaiSuDungThanhPhan: 0, XacThucVNeID: 1 });
  });

  it('gives each channel the portal’s code and leaves fees unsaid until the payments capability says them', () => {
    expect(portalRecord({ ...dossier, channel: 'ONLINE' }, stateAt(life, 1)).KenhThucHien).toBe(2);
    expect(portalRecord({ ...dossier, channel: 'POSTAL' }, stateAt(life, 1)).KenhThucHien).toBe(3);
    expect(portalRecord(dossier, stateAt(life, 1))).toMatchObject({ DanhSachLePhi: [], ThanhToanTrucTuyen: '' });
    const paid = portalRecord({ ...dossier, fees: { lines: [{ code: 'LP01', name: 'Lệ phí', amountVnd: 8000 }], paidOnline: true } }, stateAt(life, 1));
    expect(paid).toMatchObject({ DanhSachLePhi: [{ MaLePhi: 'LP01', TenLePhi: 'Lệ phí', SoTien: 8000 }], ThanhToanTrucTuyen: 1 });
  });

  it('refuses a history that does not start with the filing', () => {
    expect(() => stateAt(life.slice(1), 5)).toThrow(/starts with SUBMITTED/);
  });
});
