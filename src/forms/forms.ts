import { VIETNAM_TZ } from '../common/clock.js';
import { CHANNEL_LABEL_VI, CHANNEL_SHORT_VI, type Channel } from '../dossier-record/channels.js';
import type { FormBlock, FormModel } from './form-model.js';

/** What every form says about the dossier. */
export interface DossierForForm {
  code: string;
  procedureCode: string;
  procedureName: string;
  /** e.g. "05 ngày làm việc" */
  timeLimitText: string;
  applicant: { fullName: string; idNumber: string; phone: string; email?: string; address: string };
  receiving: { name: string; parentName?: string };
  competentName: string;
  /** Province or commune name for the date line: "Thanh Hóa, ngày …". */
  place: string;
  receivedAt: Date;
  dueAt?: Date;
  attachments: Array<{ componentCode: string; name: string }>;
  resultDelivery: 'ONLINE' | 'POSTAL' | 'COUNTER';
  /** How the dossier was filed: online, at the counter, by post. */
  channel: Channel;
  /** The public lookup address, printed as a QR code. */
  lookupUrl: string;
}

const parts = (d: Date) =>
  Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: VIETNAM_TZ,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hour12: false,
    })
      .formatToParts(d)
      .map((p) => [p.type, p.value]),
  ) as Record<'year' | 'month' | 'day' | 'hour' | 'minute', string>;

/** "14 giờ 05 phút, ngày 22/11/2026" in Vietnam time, as the forms write instants. */
export function vietnameseInstant(d: Date): string {
  const p = parts(d);
  return `${p.hour} giờ ${p.minute} phút, ngày ${p.day}/${p.month}/${p.year}`;
}

/** "Thanh Hóa, ngày 22 tháng 11 năm 2026" */
export function placeAndDate(place: string, d: Date): string {
  const p = parts(d);
  return `${place}, ngày ${p.day} tháng ${p.month} năm ${p.year}`;
}

const DELIVERY: Record<DossierForForm['resultDelivery'], string> = {
  ONLINE: 'Trực tuyến (tài khoản trên Cổng Dịch vụ công)',
  POSTAL: 'Dịch vụ bưu chính công ích',
  COUNTER: 'Trực tiếp tại Bộ phận Một cửa',
};

function base(d: DossierForForm, number: FormModel['number'], title: string, at: Date, blocks: FormBlock[], signatures: FormModel['signatures']): FormModel {
  return {
    number,
    title,
    issuer: { parent: d.receiving.parentName, unit: d.receiving.name },
    dossierCode: d.code,
    placeAndDate: placeAndDate(d.place, at),
    blocks,
    signatures,
    qrText: d.lookupUrl,
  };
}

const applicantBlocks = (d: DossierForForm): FormBlock[] => [
  { kind: 'field', label: 'Ông/Bà', value: d.applicant.fullName },
  { kind: 'field', label: 'Số định danh cá nhân', value: d.applicant.idNumber },
  { kind: 'field', label: 'Địa chỉ', value: d.applicant.address },
  { kind: 'field', label: 'Số điện thoại', value: d.applicant.phone },
  ...(d.applicant.email ? [{ kind: 'field', label: 'Thư điện tử', value: d.applicant.email } as FormBlock] : []),
  channelBlock(d),
];

const channelBlock = (d: DossierForForm): FormBlock => ({ kind: 'field', label: 'Hình thức nộp hồ sơ', value: CHANNEL_LABEL_VI[d.channel] });

/** Mẫu 01: receipt and appointment slip. */
export function form01(d: DossierForForm): FormModel {
  return base(
    d,
    '01',
    'GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ',
    d.receivedAt,
    [
      { kind: 'paragraph', text: `${d.receiving.name} tiếp nhận hồ sơ của:` },
      ...applicantBlocks(d),
      { kind: 'field', label: 'Nội dung yêu cầu giải quyết', value: `${d.procedureName} (mã thủ tục ${d.procedureCode})` },
      { kind: 'list', label: 'Thành phần hồ sơ nộp gồm', items: d.attachments.map((a) => `${a.name} (${a.componentCode})`) },
      { kind: 'field', label: 'Số lượng hồ sơ', value: '01 (bộ)' },
      { kind: 'field', label: 'Thời gian giải quyết hồ sơ theo quy định', value: d.timeLimitText },
      { kind: 'field', label: 'Thời gian nhận hồ sơ', value: vietnameseInstant(d.receivedAt) },
      { kind: 'field', label: 'Thời gian trả kết quả giải quyết hồ sơ', value: d.dueAt ? vietnameseInstant(d.dueAt) : '(chưa xác định)' },
      { kind: 'field', label: 'Cơ quan giải quyết', value: d.competentName },
      { kind: 'field', label: 'Đăng ký nhận kết quả', value: DELIVERY[d.resultDelivery] },
    ],
    ['NGƯỜI NỘP HỒ SƠ', 'NGƯỜI TIẾP NHẬN HỒ SƠ'],
  );
}

/** Mẫu 02: one complete list of what to supplement. */
export function form02(d: DossierForForm, r: { at: Date; items: string[]; supplementDueAt: Date; requestedBy: string }): FormModel {
  return base(
    d,
    '02',
    'PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ',
    r.at,
    [
      { kind: 'paragraph', text: `Ngày ${vietnameseInstant(d.receivedAt)}, ${d.receiving.name} tiếp nhận hồ sơ của:` },
      ...applicantBlocks(d),
      { kind: 'field', label: 'Nội dung yêu cầu giải quyết', value: `${d.procedureName} (mã thủ tục ${d.procedureCode})` },
      { kind: 'list', label: 'Yêu cầu bổ sung, hoàn thiện hồ sơ gồm những nội dung sau', items: r.items },
      { kind: 'field', label: 'Thời hạn bổ sung', value: `trước ${vietnameseInstant(r.supplementDueAt)}` },
      { kind: 'paragraph', text: 'Trong quá trình hoàn thiện hồ sơ, nếu có vướng mắc, Ông/Bà liên hệ Bộ phận Một cửa để được hướng dẫn.' },
    ],
    [r.requestedBy.toUpperCase()],
  );
}

/** Mẫu 03: refusal to receive (or a reasoned denial), with reasons. */
export function form03(d: DossierForForm, r: { at: Date; reasons: string[]; by: string }): FormModel {
  return base(
    d,
    '03',
    'PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ',
    r.at,
    [
      { kind: 'paragraph', text: `${d.receiving.name} tiếp nhận hồ sơ đề nghị ${d.procedureName} của:` },
      ...applicantBlocks(d),
      { kind: 'list', label: 'Hồ sơ không đủ điều kiện giải quyết vì các lý do sau', items: r.reasons },
      { kind: 'paragraph', text: 'Xin thông báo để Ông/Bà được biết và thực hiện.' },
    ],
    [r.by.toUpperCase()],
  );
}

/** Mẫu 04: apology and new appointment (at most once). */
export function form04(d: DossierForForm, r: { at: Date; reason: string; newDueAt: Date; by: string }): FormModel {
  return base(
    d,
    '04',
    'PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ',
    r.at,
    [
      {
        kind: 'paragraph',
        text: `Ngày ${vietnameseInstant(d.receivedAt)}, ${d.receiving.name} tiếp nhận hồ sơ đề nghị ${d.procedureName} của Ông/Bà ${d.applicant.fullName}; mã hồ sơ ${d.code}.`,
      },
      channelBlock(d),
      { kind: 'field', label: 'Thời gian hẹn trả kết quả', value: d.dueAt ? vietnameseInstant(d.dueAt) : '' },
      { kind: 'field', label: 'Lý do chậm trả kết quả', value: r.reason },
      { kind: 'paragraph', text: `${d.competentName} xin lỗi Ông/Bà và hẹn lại thời gian trả kết quả vào ${vietnameseInstant(r.newDueAt)}.` },
    ],
    [r.by.toUpperCase()],
  );
}

/** Mẫu 05: notice that processing stopped (the supplement never came). */
export function form05(d: DossierForForm, r: { at: Date; reason: string; by: string }): FormModel {
  return base(
    d,
    '05',
    'THÔNG BÁO DỪNG XỬ LÝ HỒ SƠ',
    r.at,
    [
      { kind: 'paragraph', text: `${d.receiving.name} thông báo dừng xử lý hồ sơ đề nghị ${d.procedureName} của:` },
      ...applicantBlocks(d),
      { kind: 'field', label: 'Lý do', value: r.reason },
    ],
    [r.by.toUpperCase()],
  );
}

export interface Handoff {
  from: string;
  to: string;
  at: Date;
  dueAt?: Date;
  /** Filled when the step finished: on time or late against its own budget. */
  result?: 'EARLY' | 'ON_TIME' | 'LATE';
  note?: string;
}

const TIMELINESS: Record<NonNullable<Handoff['result']>, string> = { EARLY: 'Trước hạn', ON_TIME: 'Đúng hạn', LATE: 'Quá hạn' };

/** Mẫu 06: process control sheet, one row per hand-off. */
export function form06(d: DossierForForm, handoffs: Handoff[], at: Date): FormModel {
  return base(
    d,
    '06',
    'PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ',
    at,
    [
      { kind: 'field', label: 'Thủ tục', value: `${d.procedureName} (${d.procedureCode})` },
      { kind: 'field', label: 'Người nộp', value: d.applicant.fullName },
      channelBlock(d),
      { kind: 'field', label: 'Thời gian nhận hồ sơ', value: vietnameseInstant(d.receivedAt) },
      { kind: 'field', label: 'Thời gian trả kết quả', value: d.dueAt ? vietnameseInstant(d.dueAt) : '' },
      {
        kind: 'table',
        columns: [
          { title: 'Tên cơ quan, người giao', width: 3 },
          { title: 'Tên cơ quan, người nhận', width: 3 },
          { title: 'Thời gian giao, nhận', width: 2.4 },
          { title: 'Hạn xử lý', width: 2.4 },
          { title: 'Kết quả', width: 1.6 },
          { title: 'Ghi chú', width: 2 },
        ],
        rows: handoffs.map((h) => [
          h.from,
          h.to,
          vietnameseInstant(h.at),
          h.dueAt ? vietnameseInstant(h.dueAt) : '',
          h.result ? TIMELINESS[h.result] : '',
          h.note ?? '',
        ]),
      },
    ],
    ['BỘ PHẬN MỘT CỬA'],
  );
}

/** One line of the register (mẫu 07). */
export interface RegisterEntry {
  code: string;
  procedureCode: string;
  procedureName: string;
  applicantName: string;
  channel: Channel;
  submittedAt: Date;
  receivedAt: Date | null;
  dueAt: Date | null;
  finishedAt: Date | null;
  statusLabel: string;
}

const shortDate = (d: Date | null) => {
  if (!d) return '';
  const p = parts(d);
  return `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}`;
};

/** A centre's register for a period: what form 07 prints and the register export writes. */
export interface Register {
  centre: { code?: string; name: string; parentName?: string };
  /** The place on the date line. */
  place: string;
  /** Vietnam dates, yyyy-mm-dd, inclusive. */
  from: string;
  to: string;
  /** When the register was made. */
  at: Date;
  entries: RegisterEntry[];
}

/**
 * Mẫu 07: the register of dossiers received by a centre in a period (sổ theo dõi hồ sơ), with the
 * channel of each, its dates and its status, and the period's count per channel.
 */
export function form07(r: Register): FormModel {
  const dmy = (iso: string) => iso.split('-').reverse().join('/');
  const count = (c: Channel) => r.entries.filter((e) => e.channel === c).length;
  return {
    number: '07',
    title: 'SỔ THEO DÕI HỒ SƠ',
    issuer: { parent: r.centre.parentName, unit: r.centre.name },
    codeLabel: 'Kỳ',
    dossierCode: `${dmy(r.from)} – ${dmy(r.to)}`,
    placeAndDate: placeAndDate(r.place, r.at),
    landscape: true,
    blocks: [
      {
        kind: 'paragraph',
        text: `Tổng số hồ sơ tiếp nhận: ${r.entries.length} (trực tuyến ${count('ONLINE')}, trực tiếp ${count('COUNTER')}, bưu chính ${count('POSTAL')}).`,
      },
      {
        kind: 'table',
        columns: [
          { title: 'STT', width: 1 },
          { title: 'Mã hồ sơ', width: 3.4 },
          { title: 'Thủ tục', width: 4.2 },
          { title: 'Người nộp', width: 2.4 },
          { title: 'Kênh nộp', width: 1.6 },
          { title: 'Ngày nộp', width: 2 },
          { title: 'Ngày tiếp nhận', width: 2 },
          { title: 'Hẹn trả', width: 2 },
          { title: 'Ngày có kết quả', width: 2 },
          { title: 'Trạng thái', width: 2.2 },
        ],
        rows: r.entries.map((e, i) => [
          String(i + 1),
          e.code,
          `${e.procedureName} (${e.procedureCode})`,
          e.applicantName,
          CHANNEL_SHORT_VI[e.channel],
          shortDate(e.submittedAt),
          shortDate(e.receivedAt),
          shortDate(e.dueAt),
          shortDate(e.finishedAt),
          e.statusLabel,
        ]),
      },
    ],
    signatures: ['NGƯỜI LẬP SỔ', 'LÃNH ĐẠO TRUNG TÂM'],
  };
}
