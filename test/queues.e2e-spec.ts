import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { login, registerCitizen } from './support/auth.js';
import { fileDossier } from './support/dossiers.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const HAC_THANH = '000.00.20.H56';
const DEMO = 'Demo@2026';

describe('officer queues', () => {
  let t: TestApp;
  let citizen: { idNumber: string; token: string; id: string };
  const tok: Record<string, string> = {};
  const filed: string[] = [];

  const file = async (procedureCode: string) => {
    const d = await fileDossier(t, citizen, { procedureCode, agencyCode: HAC_THANH, applicant: { fullName: 'Trần Thị Lan' } });
    filed.push(d.id);
    return d;
  };
  const act = async (who: string, id: string, action: string, body: Record<string, unknown> = {}) => {
    const { version } = (await t.http().get(`/api/v1/dossiers/${id}`).set('Authorization', `Bearer ${tok[who]}`).expect(200)).body;
    await t
      .http()
      .post(`/api/v1/dossiers/${id}/actions/${action}`)
      .set('Authorization', `Bearer ${tok[who]}`)
      .send({ expectedVersion: version, ...body })
      .expect(200);
  };
  const queue = (who: string, name: string, query = '') => t.http().get(`/api/v1/queues/${name}?${query}`).set('Authorization', `Bearer ${tok[who]}`);

  beforeAll(async () => {
    t = await createTestApp({ env: { SEED_DEMO: 'true' } });
    citizen = await registerCitizen(t);
    for (const name of ['tiepnhan.hacthanh', 'chuyenvien.hacthanh', 'lanhdao.hacthanh', 'tiepnhan.tinh']) tok[name] = await login(t, name, DEMO);
    await file('1.001193');
    await file('1.004194');
    await file('1.001193');
  });
  afterAll(async () => {
    await t?.close();
  });

  it('shows what is waiting for reception at my centre, oldest first, with a total, filters and pages', async () => {
    const res = await queue('tiepnhan.hacthanh', 'to-receive').expect(200);
    expect(res.body).toMatchObject({ queue: 'to-receive', total: 3, nextCursor: null });
    expect(res.body.items.map((d: { id: string }) => d.id)).toEqual(filed);
    expect((await queue('tiepnhan.hacthanh', 'to-receive', 'procedureCode=1.001193').expect(200)).body.total).toBe(2);
    expect((await queue('tiepnhan.hacthanh', 'to-receive', 'serviceLevel=FULL_ONLINE').expect(200)).body.items.map((d: { id: string }) => d.id)).toEqual([
      filed[1],
    ]);
    const first = (await queue('tiepnhan.hacthanh', 'to-receive', 'limit=2').expect(200)).body;
    const second = (await queue('tiepnhan.hacthanh', 'to-receive', `limit=2&cursor=${first.nextCursor}`).expect(200)).body;
    expect([...first.items, ...second.items].map((d: { id: string }) => d.id)).toEqual(filed);
    expect(second.nextCursor).toBeNull();
    // Another centre's officer sees none of them.
    expect((await queue('tiepnhan.tinh', 'to-receive').expect(200)).body.total).toBe(0);
  });

  it('moves a dossier through unit, mine, overdue and to-return as the work goes', async () => {
    const [id] = filed;
    await act('tiepnhan.hacthanh', id, 'accept');
    await act('tiepnhan.hacthanh', id, 'assign');
    const unit = (await queue('chuyenvien.hacthanh', 'unit').expect(200)).body;
    expect(unit.items.map((d: { id: string }) => d.id)).toEqual([id]);
    expect(unit.items[0]).toMatchObject({ status: 'IN_PROGRESS', dueAt: expect.any(String), deadlineStatus: 'ON_TRACK' });
    await act('chuyenvien.hacthanh', id, 'claim');
    expect((await queue('chuyenvien.hacthanh', 'unit').expect(200)).body.total).toBe(0);
    expect((await queue('chuyenvien.hacthanh', 'mine').expect(200)).body.items.map((d: { id: string }) => d.id)).toEqual([id]);
    // The deadline engine flags clocks (its own tests fire them); here the flag is set directly.
    await t.db.query(`UPDATE dossier_clocks SET status = 'OVERDUE' WHERE dossier_id = $1 AND kind = 'OVERALL'`, [id]);
    expect((await queue('chuyenvien.hacthanh', 'overdue').expect(200)).body.items.map((d: { id: string }) => d.id)).toEqual([id]);
    expect((await queue('chuyenvien.hacthanh', 'due-soon').expect(200)).body.total).toBe(0);
    await act('chuyenvien.hacthanh', id, 'forward');
    await act('lanhdao.hacthanh', id, 'approve', { outcome: 'DENIED', reasons: ['Thiếu căn cứ xác định quan hệ cha, mẹ, con'] });
    expect((await queue('tiepnhan.hacthanh', 'to-return').expect(200)).body.items.map((d: { id: string }) => d.id)).toEqual([id]);
    expect((await queue('chuyenvien.hacthanh', 'mine').expect(200)).body.total).toBe(0);
  });

  it('is for staff only and knows its queue names', async () => {
    await t.http().get('/api/v1/queues/to-receive').set('Authorization', `Bearer ${citizen.token}`).expect(403);
    const unknown = await queue('tiepnhan.hacthanh', 'everything').expect(404);
    expect(unknown.body.code).toBe('UNKNOWN_QUEUE');
    const bad = await queue('tiepnhan.hacthanh', 'to-receive', 'limit=5000').expect(400);
    expect(bad.body.details[0].field).toBe('limit');
  });
});
