import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import ExcelJS from 'exceljs';
import { randomUUID } from 'node:crypto';
import { isRequiredOnChannel } from '../src/catalog/component-rules.js';
import { ManualClock, vietnamDate } from '../src/common/clock.js';
import { login, registerCitizen } from './support/auth.js';
import { BIRTH, fileDossier, HAC_THANH } from './support/dossiers.js';
import { binaryBody, uploadPdf } from './support/files.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const DEMO = 'Demo@2026';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * The register export (issue 15): form 07's lines as XLSX and CSV, for the centre's own staff,
 * read back from dossiers filed through the API (online by citizens, one at the counter).
 */
describe('the register export (GET /agencies/{code}/register)', () => {
  // A clock that stands still: the dossiers are filed on the day the register is asked for.
  const clock = new ManualClock(new Date());
  let t: TestApp;
  const tok: Record<string, string> = {};
  const codes: string[] = [];
  let counterCode: string;
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
  const today = () => vietnamDate(clock.now());
  const get = (path: string, token: string) => t.http().get(path).set(bearer(token)).buffer(true).parse(binaryBody);

  beforeAll(async () => {
    t = await createTestApp({ clock, env: { LOG_LEVEL: 'error', SEED_DEMO: 'true' } });
    for (const name of ['tiepnhan.hacthanh', 'tiepnhan.tinh']) tok[name] = await login(t, name, DEMO);
    for (const fullName of ['Nguyễn Văn An', 'Trần Thị Bích Ngọc']) {
      const citizen = await registerCitizen(t);
      codes.push((await fileDossier(t, citizen, { applicant: { fullName } })).code);
    }
    // A walk-in filed by the officer at the counter, its components scanned there.
    const proc = (await t.http().get(`/api/v1/procedures/${BIRTH}`).expect(200)).body;
    const scan = await uploadPdf(t, { token: tok['tiepnhan.hacthanh'] }, 'ban-quet');
    const res = await t
      .http()
      .post('/api/v1/dossiers')
      .set(bearer(tok['tiepnhan.hacthanh']))
      .set('Idempotency-Key', randomUUID())
      .send({
        procedureCode: BIRTH,
        agencyCode: HAC_THANH,
        channel: 'COUNTER',
        accept: true,
        resultDelivery: 'COUNTER',
        attachments: proc.components
          .filter((c: { name: string; required: boolean }) => isRequiredOnChannel(c, 'COUNTER'))
          .map((c: { code: string }) => ({ componentCode: c.code, fileId: scan })),
        applicant: {
          fullName: 'Lê Thị Hồng',
          idNumber: '038190001234',
          dateOfBirth: '1990-01-01',
          phone: '0912000111',
          address: 'Số 1 Phan Chu Trinh, Thanh Hóa',
        },
        formData: { childName: 'Lê Minh Khôi', childDateOfBirth: '2026-11-20' },
      });
    expect({ status: res.status, body: res.status === 201 ? 'ok' : res.body }).toEqual({ status: 201, body: 'ok' });
    counterCode = res.body.code;
    codes.push(counterCode);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('gives the centre’s officer an XLSX of the dossiers filed in the period, with their codes, names and channels', async () => {
    const from = today();
    const res = await get(`/api/v1/agencies/${HAC_THANH}/register?from=${from}&to=${from}&format=xlsx`, tok['tiepnhan.hacthanh']).expect(200);
    expect(res.headers['content-type']).toBe(XLSX);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="so-theo-doi-${HAC_THANH}-${from}-${from}.xlsx"`);
    expect(res.headers['cache-control']).toBe('private, no-store');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.body as never);
    const ws = wb.getWorksheet('Sổ theo dõi hồ sơ')!;
    const header = (ws.getRow(5).values as string[]).slice(1);
    expect(header).toEqual([
      'STT',
      'Mã hồ sơ',
      'Mã thủ tục',
      'Tên thủ tục',
      'Người nộp',
      'Kênh nộp',
      'Ngày nộp',
      'Ngày tiếp nhận',
      'Hẹn trả',
      'Ngày có kết quả',
      'Trạng thái',
    ]);
    const lines: Array<Record<string, unknown>> = [];
    ws.eachRow((row, n) => {
      if (n > 5) lines.push(Object.fromEntries(header.map((h, i) => [h, row.getCell(i + 1).value])));
    });
    expect(lines.map((l) => l['Mã hồ sơ'])).toEqual(codes);
    expect(lines.map((l) => l['STT'])).toEqual([1, 2, 3]);
    expect(lines.map((l) => l['Người nộp'])).toEqual(['Nguyễn Văn An', 'Trần Thị Bích Ngọc', 'Lê Thị Hồng']);
    expect(lines.map((l) => l['Kênh nộp'])).toEqual(['Trực tuyến', 'Trực tuyến', 'Trực tiếp']);
    expect(lines.every((l) => l['Mã thủ tục'] === BIRTH && l['Ngày nộp'] instanceof Date)).toBe(true);
    const walkIn = lines[2];
    expect(walkIn['Ngày tiếp nhận']).toBeInstanceOf(Date); // accepted as filed
    expect(walkIn['Hẹn trả']).toBeInstanceOf(Date);
    expect(lines[0]['Ngày tiếp nhận']).toBeNull(); // online, not accepted yet
    expect(String(ws.getCell('A2').value)).toContain('Tổng số hồ sơ tiếp nhận: 3 (trực tuyến 2, trực tiếp 1, bưu chính 0)');
    // XLSX is the default.
    const plain = await get(`/api/v1/agencies/${HAC_THANH}/register?from=${from}&to=${from}`, tok['tiepnhan.hacthanh']).expect(200);
    expect(plain.headers['content-type']).toBe(XLSX);
  });

  it('gives the same lines as CSV (UTF-8 with BOM)', async () => {
    const from = today();
    const res = await get(`/api/v1/agencies/${HAC_THANH}/register?from=${from}&to=${from}&format=csv`, tok['tiepnhan.hacthanh']).expect(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="so-theo-doi-${HAC_THANH}-${from}-${from}.csv"`);
    const body = res.body as Buffer;
    expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = body
      .toString('utf8')
      .slice(1)
      .trimEnd()
      .split('\r\n')
      .map((l) => l.split(','));
    expect(lines[0].slice(0, 3)).toEqual(['STT', 'Mã hồ sơ', 'Mã thủ tục']);
    expect(lines.slice(1).map((l) => l[1])).toEqual(codes);
    expect(lines[3][5]).toBe('Trực tiếp');
    expect(lines[1][6]).toMatch(new RegExp(`^${from} \\d\\d:\\d\\d$`)); // filed today, Vietnam time
  });

  it('keeps form 07’s readers and limits: other centres, bad periods and formats are refused', async () => {
    const from = today();
    const base = `/api/v1/agencies/${HAC_THANH}/register`;
    await get(`${base}?from=${from}&to=${from}`, tok['tiepnhan.tinh']).expect(403);
    const citizen = await registerCitizen(t);
    await get(`${base}?from=${from}&to=${from}`, citizen.token).expect(403);
    await t.http().get(`${base}?from=${from}&to=${from}`).expect(401);
    const pdfFormat = await t.http().get(`${base}?from=${from}&to=${from}&format=pdf`).set(bearer(tok['tiepnhan.hacthanh'])).expect(400);
    expect(pdfFormat.body.details[0].field).toBe('format');
    const backwards = await t.http().get(`${base}?from=${from}&to=2020-01-01`).set(bearer(tok['tiepnhan.hacthanh'])).expect(400);
    expect(backwards.body.details[0].field).toBe('from');
    const tooLong = await t.http().get(`${base}?from=2024-01-01&to=${from}`).set(bearer(tok['tiepnhan.hacthanh'])).expect(400);
    expect(tooLong.body.details[0].field).toBe('to');
  });
});
