import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { vietnamCompactTime } from '../src/common/clock.js';
import { startEmbeddedRedis, type EmbeddedRedis } from '../src/infra/embedded-redis.js';
import { ADMIN, login, registerCitizen } from './support/auth.js';
import { act, fileDossier, waitFor } from './support/dossiers.js';
import { uploadPdf } from './support/files.js';
import { PortalStandIn } from './support/portal-standin.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const DEMO = 'Demo@2026';

describe('national portal sync', () => {
  let t: TestApp;
  let redis: EmbeddedRedis;
  let admin: string;
  let citizen: { idNumber: string; token: string; id: string };
  const tok: Record<string, string> = {};
  const portal = new PortalStandIn();
  const dir = path.join(process.env.MOTCUA_TEST_DIR!, `portal-sync-redis-${process.pid}`);
  const must = async (who: string, id: string, action: string, body: Record<string, unknown> = {}) => {
    const res = await act(t, tok[who] ?? citizen.token, id, action, body);
    if (res.status !== 200) throw new Error(`${action}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const syncState = async (query = '') => (await t.http().get(`/api/v1/admin/sync${query}`).set('Authorization', `Bearer ${admin}`).expect(200)).body;

  beforeAll(async () => {
    await portal.start();
    redis = await startEmbeddedRedis({ dir, persistent: false });
    t = await createTestApp({
      redisUrl: redis.url,
      env: {
        SEED_DEMO: 'true',
        OUTBOX_POLL_MS: '50',
        PORTAL_RETRY_BASE_MS: '200',
        PORTAL_RETRY_MAX_MS: '1000',
        PORTAL_RETRY_WINDOW_MS: '8000',
        PORTAL_TIMEOUT_MS: '2000',
        ...portal.env(),
      },
    });
    admin = await login(t, ADMIN.username, ADMIN.password);
    for (const name of ['tiepnhan.hacthanh', 'chuyenvien.hacthanh', 'lanhdao.hacthanh']) tok[name] = await login(t, name, DEMO);
    citizen = await registerCitizen(t);
  });
  afterAll(async () => {
    await t?.close();
    await redis?.stop();
    await portal.close();
  });

  it("pushes a dossier's whole life in order, once per change, through a portal outage and a Redis restart", async () => {
    const d = await fileDossier(t, citizen);
    await waitFor(async () => portal.statuses(d.code).length === 1, 'the filing pushed');
    await must('tiepnhan.hacthanh', d.id, 'accept');
    // The portal goes away (connections refused) while the dossier moves on.
    await portal.stop();
    await must('tiepnhan.hacthanh', d.id, 'assign');
    await must('chuyenvien.hacthanh', d.id, 'request-supplement', { items: [{ description: 'Bản sao giấy chứng sinh có chứng thực' }] });
    await waitFor(
      async () =>
        (
          await t.db.query(
            `SELECT count(*)::int AS n FROM delivery_attempts a JOIN deliveries x ON x.id = a.delivery_id WHERE x.target_id = $1 AND a.outcome = 'RETRY'`,
            [d.id],
          )
        ).rows[0].n > 0,
      'a failed attempt',
    );
    await portal.restart();
    await waitFor(async () => portal.statuses(d.code).length === 4, 'the pushes after the outage');
    // Redis stops: the status topic's relay pass fails (the notifier's queue), its rows come again; pushes are PostgreSQL-only and deduplicated.
    await redis.stop();
    const proc = (await t.http().get(`/api/v1/dossiers/${d.id}`).set('Authorization', `Bearer ${citizen.token}`).expect(200)).body;
    const fileId = await uploadPdf(t, { token: citizen.token });
    await must('citizen', d.id, 'supplement', { attachments: [{ componentCode: proc.attachments[0].componentCode, fileId }] });
    await must('chuyenvien.hacthanh', d.id, 'claim');
    await waitFor(async () => portal.statuses(d.code).length === 5, 'the supplement pushed with Redis down', 20_000);
    redis = await startEmbeddedRedis({ dir, persistent: false });
    // A re-appointment keeps the status but moves the due date: the portal hears of it; the claim before it changed nothing the portal carries.
    const before = (await t.http().get(`/api/v1/dossiers/${d.id}`).set('Authorization', `Bearer ${citizen.token}`).expect(200)).body;
    const later = new Date(new Date(before.deadline.dueAt).getTime() + 3 * 86400_000);
    await must('chuyenvien.hacthanh', d.id, 'reschedule', { newDueAt: later.toISOString(), reason: 'Cần xác minh thông tin cư trú' });
    await waitFor(async () => portal.statuses(d.code).length === 6, 'the re-appointment pushed');
    expect(portal.byCode.get(d.code)!.at(-1)!.record).toMatchObject({
      TrangThaiHoSo: 4,
      NgayHenTra: vietnamCompactTime(later),
      NoiDungThayDoi: 'Hẹn lại ngày trả kết quả',
    });
    await must('chuyenvien.hacthanh', d.id, 'forward');
    await must('lanhdao.hacthanh', d.id, 'approve', { outcome: 'DENIED', reasons: ['Không đủ điều kiện theo quy định'] });
    await must('tiepnhan.hacthanh', d.id, 'return', { method: 'ONLINE', originalsChecked: true });
    await waitFor(async () => portal.statuses(d.code).length === 8, 'the whole life', 20_000);
    // Let any duplicate show up before judging "once".
    await new Promise((r) => setTimeout(r, 1500));
    expect(portal.statuses(d.code)).toEqual([1, 2, 4, 5, 4, 4, 9, 10]);

    const records = portal.byCode.get(d.code)!.map((u) => u.record);
    const [filed, , , asked, supplied, , , returned] = records;
    expect(filed).toMatchObject({
      MaHoSo: d.code,
      MaTTHC: '1.001193',
      KenhThucHien: 2,
      ChuHoSo: 'Nguyễn Văn An',
      SoGiayToChuHoSo: citizen.idNumber,
      NgayTiepNhan: null,
      PhienBanAnhXa: 'dvcqg-assumed-v1',
    });
    expect(filed.NgayNopHoSo).toMatch(/^\d{14}$/);
    // As of each change: the supplement request carries status 5 and its round, with no later state.
    expect(asked.DanhSachHoSoBoSung).toHaveLength(1);
    expect(asked.DanhSachHoSoBoSung[0]).toMatchObject({ NgayBoSung: null, NgayHenTraMoi: null });
    expect(asked.DanhSachHoSoBoSung[0].NgayHenTraTruoc).toMatch(/^\d{14}$/);
    expect(supplied.DanhSachHoSoBoSung[0].NgayBoSung).toMatch(/^\d{14}$/);
    expect(supplied.DanhSachHoSoBoSung[0].NgayHenTraMoi).toMatch(/^\d{14}$/);
    expect(returned).toMatchObject({ TrangThaiHoSo: 10, KetQuaXuLy: 'DENIED', HinhThucTra: 'ONLINE', CoKetQuaDienTu: 0 });
    expect(returned.NgayTra).toMatch(/^\d{14}$/);

    // Vietnam time: the filing's record says the hour in UTC+7.
    const [first] = (await t.db.query(`SELECT at FROM dossier_events WHERE dossier_id = $1 AND seq = 1`, [d.id])).rows;
    const vn = new Date(new Date(first.at).getTime() + 7 * 3600_000).toISOString();
    expect(filed.NgayNopHoSo).toBe(vn.slice(0, 4) + vn.slice(5, 7) + vn.slice(8, 10) + vn.slice(11, 13) + vn.slice(14, 16) + vn.slice(17, 19));

    const state = await syncState(`?dossierCode=${d.code}`);
    expect(state.dossiers).toEqual([
      expect.objectContaining({ dossierId: d.id, state: 'SYNCED', pushed: 8, pending: 0, dead: 0, lastPushedChange: 'RETURNED' }),
    ]);
  });

  it("stores every push's request and answer without the token or the client secret", async () => {
    const attempts = (
      await t.db.query(`SELECT request, response FROM delivery_attempts a JOIN deliveries x ON x.id = a.delivery_id WHERE x.target_kind = 'national-portal'`)
    ).rows;
    expect(attempts.length).toBeGreaterThan(7);
    const stored = JSON.stringify(attempts) + JSON.stringify((await t.db.query(`SELECT payload FROM deliveries WHERE target_kind = 'national-portal'`)).rows);
    const bearers = [...new Set(portal.requests.map((r) => r.authorization.replace(/^Bearer /, '')))].filter(Boolean);
    expect(bearers.length).toBeGreaterThan(0);
    for (const secret of [...bearers, PortalStandIn.CLIENT_SECRET]) expect(stored).not.toContain(secret);
    expect(attempts.some((a: { request: { headers: Record<string, string> } }) => a.request.headers.authorization === '[redacted]')).toBe(true);
  });

  it('a refused field is retried, then dead and visible to admins; re-push sends the current state', async () => {
    portal.rejectField = 'XacThucVNeID';
    const d = await fileDossier(t, citizen);
    const dead = await waitFor(
      async () => (await syncState('?state=DEAD')).dossiers.find((x: { dossierId: string }) => x.dossierId === d.id),
      'the dead push',
      30_000,
    );
    expect(dead).toMatchObject({ state: 'DEAD', dead: 1, dossierCode: d.code });
    expect(dead.lastError).toContain('XacThucVNeID');
    expect(dead.attempts).toBeGreaterThan(1);
    expect(portal.byCode.has(d.code)).toBe(false);
    const log = (await t.http().get(`/api/v1/admin/sync/${d.id}/pushes`).set('Authorization', `Bearer ${admin}`).expect(200)).body;
    expect(log[0].attemptLog[0].response.body).toContain('XacThucVNeID');
    // Citizens and officers cannot see or re-push.
    await t.http().get('/api/v1/admin/sync').set('Authorization', `Bearer ${tok['tiepnhan.hacthanh']}`).expect(403);

    portal.rejectField = null;
    await t.http().post(`/api/v1/admin/sync/${d.id}/repush`).set('Authorization', `Bearer ${admin}`).expect(202);
    await waitFor(async () => portal.statuses(d.code).length === 1, 'the re-push');
    expect(portal.byCode.get(d.code)![0].record).toMatchObject({ MaHoSo: d.code, TrangThaiHoSo: 1 });
    const after = (await syncState(`?dossierCode=${d.code}`)).dossiers[0];
    expect(after).toMatchObject({ pushed: 1, dead: 1, lastPushedChange: 'SNAPSHOT' });
  });

  it('a duplicate success from the portal is one push', async () => {
    portal.answerTwice = true;
    const d = await fileDossier(t, citizen);
    await waitFor(async () => portal.statuses(d.code).length === 1, 'the filing');
    await must('tiepnhan.hacthanh', d.id, 'accept');
    await waitFor(async () => portal.statuses(d.code).length === 2, 'the acceptance');
    await new Promise((r) => setTimeout(r, 800));
    portal.answerTwice = false;
    expect(portal.statuses(d.code)).toEqual([1, 2]);
  });

  it('the daily reconciliation re-pushes a dossier the portal lost', async () => {
    const d = await fileDossier(t, citizen);
    await waitFor(async () => portal.statuses(d.code).length === 1, 'the filing');
    portal.lose(d.code);
    const report = (await t.http().post('/api/v1/admin/sync/reconcile?days=1').set('Authorization', `Bearer ${admin}`).expect(200)).body;
    expect(report.repushed).toBeGreaterThan(0);
    expect(report.compared).toEqual(expect.arrayContaining([expect.objectContaining({ agencyCode: '000.00.20.H56' })]));
    await waitFor(async () => portal.statuses(d.code).length === 1, 'the lost dossier again');
    // Nothing lost now: a second run finds equal counts and re-pushes nothing.
    await waitFor(async () => (await syncState('?state=PENDING')).dossiers.length === 0, 'an idle sync');
    const again = (await t.http().post('/api/v1/admin/sync/reconcile?days=1').set('Authorization', `Bearer ${admin}`).expect(200)).body;
    expect(again.repushed).toBe(0);
  });
});
