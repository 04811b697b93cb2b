import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AgenciesService } from '../src/agencies/agencies.service.js';
import { asAdmin, registerCitizen } from './support/auth.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const PROVINCE = '000.00.00.H56';
const CENTRE = '000.00.01.H56';
const POLICE = '000.00.05.H56';
const COMMUNES = ['000.00.20.H56', '000.00.21.H56', '000.00.22.H56', '000.00.23.H56'];
const FORMER_DISTRICT = '000.00.40.H56';
const STANDARD_DAY = [
  { start: '07:30', end: '11:30' },
  { start: '13:00', end: '17:00' },
];

describe('agencies', () => {
  let t: TestApp;
  let admin: Record<string, string>;
  beforeAll(async () => {
    t = await createTestApp({ env: { SEED_DEMO: 'true' } });
    admin = await asAdmin(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  const list = async (query: Record<string, string | number | boolean>) => (await t.http().get('/api/v1/agencies').query(query).expect(200)).body;
  const codes = (body: { items: Array<{ code: string }> }) => body.items.map((a) => a.code);
  const create = (body: Record<string, unknown>) => t.http().post('/api/v1/admin/agencies').set(admin).send(body);

  describe('reading', () => {
    it('lists the active demo agencies by code, with default office hours', async () => {
      const all = await list({ limit: 100 });
      expect(all.total).toBe(10);
      expect(codes(all)).toEqual([PROVINCE, CENTRE, '000.00.03.H56', '000.00.04.H56', POLICE, '000.00.06.H56', ...COMMUNES]);
      expect(all.items[0]).toEqual({
        code: PROVINCE,
        name: 'Ủy ban nhân dân tỉnh Thanh Hóa',
        level: 'PROVINCE',
        parentCode: null,
        isServiceCentre: false,
        active: true,
        officeHours: { timeZone: 'Asia/Ho_Chi_Minh', cutOff: '15:00', days: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, periods: STANDARD_DAY })) },
      });
      const page = await list({ limit: 4 });
      expect(codes(page)).toHaveLength(4);
      expect(codes(await list({ limit: 100, cursor: page.nextCursor }))).toEqual(codes(all).slice(4));
    });

    it('filters by level, parent, service centre, procedure and activity', async () => {
      expect(codes(await list({ level: 'COMMUNE' }))).toEqual(COMMUNES);
      expect(codes(await list({ isServiceCentre: true }))).toEqual([CENTRE, ...COMMUNES]);
      expect((await list({ isServiceCentre: false })).total).toBe(5);
      expect((await list({ parentCode: PROVINCE })).total).toBe(9);
      expect(codes(await list({ procedureCode: '1.001193' }))).toEqual(COMMUNES);
      expect(codes(await list({ procedureCode: '3.000333' }))).toEqual([POLICE]);
      expect(codes(await list({ procedureCode: '1.012783' }))).toEqual(['000.00.04.H56']);
      expect(codes(await list({ procedureCode: '2.001583', level: 'COMMUNE' }))).toEqual([]);
      expect(codes(await list({ active: false }))).toEqual([FORMER_DISTRICT]);
    });

    it('refuses filters that do not parse, naming them', async () => {
      const res = await t.http().get('/api/v1/agencies?isServiceCentre=yes').expect(400);
      expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', details: [expect.objectContaining({ field: 'isServiceCentre' })] });
      expect((await t.http().get('/api/v1/agencies?level=WARD').expect(400)).body.details[0]).toMatchObject({ field: 'level' });
    });

    it('gives one agency with the procedures it resolves', async () => {
      const commune = (await t.http().get(`/api/v1/agencies/${COMMUNES[0]}`).expect(200)).body;
      expect(commune).toMatchObject({
        code: COMMUNES[0],
        name: 'Ủy ban nhân dân phường Hạc Thành',
        level: 'COMMUNE',
        parentCode: PROVINCE,
        isServiceCentre: true,
      });
      expect(commune.procedureCodes).toContain('1.001193');
      expect(commune.procedureCodes).not.toContain('3.000333');
      expect([...commune.procedureCodes].sort()).toEqual(commune.procedureCodes);
      const district = (await t.http().get(`/api/v1/agencies/${FORMER_DISTRICT}`).expect(200)).body;
      expect(district).toMatchObject({ level: 'DISTRICT', active: false, procedureCodes: [] });
    });

    it('answers an unknown agency with 404 AGENCY_NOT_FOUND', async () => {
      const { body } = await t.http().get('/api/v1/agencies/000.00.99.H56').expect(404);
      expect(body).toMatchObject({ code: 'AGENCY_NOT_FOUND', details: [{ field: 'code', message: expect.any(String) }] });
    });
  });

  describe('the service other capabilities use', () => {
    it('finds the province, competent agencies and receiving centres', async () => {
      const agencies = t.app.get(AgenciesService);
      expect((await agencies.province(COMMUNES[2])).code).toBe(PROVINCE);
      expect((await agencies.province(PROVINCE)).code).toBe(PROVINCE);
      await expect(agencies.province('000.00.98.H56')).rejects.toMatchObject({ code: 'AGENCY_NOT_FOUND' });

      expect((await agencies.competentAgencies('3.000333', PROVINCE)).map((a) => a.code)).toEqual([POLICE]);
      expect((await agencies.competentAgencies('1.001193', PROVINCE)).map((a) => a.code)).toEqual(COMMUNES);
      expect(await agencies.competentAgencies('1.001193', COMMUNES[1])).toEqual([expect.objectContaining({ code: COMMUNES[1] })]);

      // The receiving centre and the competent agency differ for a provincial procedure.
      expect(await agencies.isReceivingCentre(CENTRE)).toBe(true);
      expect(await agencies.resolvesProcedure(CENTRE, '3.000333')).toBe(false);
      expect(await agencies.isReceivingCentre(POLICE)).toBe(false);
      expect(await agencies.resolvesProcedure(POLICE, '3.000333')).toBe(true);
      expect(await agencies.isReceivingCentre(FORMER_DISTRICT)).toBe(false);
      expect(await agencies.resolvesProcedure(COMMUNES[0], '1.001193')).toBe(true);
      expect(await agencies.resolvesProcedure(COMMUNES[0], '3.000333')).toBe(false);
    });
  });

  describe('administration', () => {
    it('lets only an admin change agencies', async () => {
      const body = { code: '000.00.27.H56', name: 'x', level: 'COMMUNE', parentCode: PROVINCE };
      await t.http().post('/api/v1/admin/agencies').send(body).expect(401);
      const citizen = { Authorization: `Bearer ${(await registerCitizen(t)).token}` };
      await t.http().post('/api/v1/admin/agencies').set(citizen).send(body).expect(403);
      await t.http().patch(`/api/v1/admin/agencies/${COMMUNES[0]}`).set(citizen).send({ name: 'x' }).expect(403);
      await t.http().put(`/api/v1/admin/agencies/${POLICE}/procedures`).set(citizen).send({ procedureCodes: [] }).expect(403);
      await t.http().get('/api/v1/agencies/000.00.27.H56').expect(404);
    });

    it('lets an admin place staff in a seeded agency', async () => {
      const staff = { username: 'motcua.hacthanh', password: 'CanBo2026x', fullName: 'Lê Thị Hoa', role: 'RECEPTION_OFFICER', agencyCode: COMMUNES[0] };
      const res = await t.http().post('/api/v1/admin/users').set(admin).send(staff).expect(201);
      expect(res.body).toMatchObject({ agencyCode: COMMUNES[0], role: 'RECEPTION_OFFICER' });
      const unknown = await t
        .http()
        .post('/api/v1/admin/users')
        .set(admin)
        .send({ ...staff, username: 'motcua.khac', agencyCode: '000.00.99.H56' })
        .expect(422);
      expect(unknown.body.code).toBe('UNKNOWN_AGENCY');
    });

    it('creates a commune with default office hours; refuses the same id twice', async () => {
      const res = await create({
        code: '000.00.24.H56',
        name: 'Ủy ban nhân dân xã Các Sơn',
        level: 'COMMUNE',
        parentCode: PROVINCE,
        isServiceCentre: true,
      }).expect(201);
      expect(res.body).toMatchObject({
        code: '000.00.24.H56',
        active: true,
        isServiceCentre: true,
        officeHours: { cutOff: '15:00', timeZone: 'Asia/Ho_Chi_Minh' },
      });
      expect(res.body.officeHours.days).toHaveLength(5);
      expect(codes(await list({ level: 'COMMUNE' }))).toContain('000.00.24.H56');
      expect((await create({ code: '000.00.24.H56', name: 'x', level: 'COMMUNE', parentCode: PROVINCE }).expect(409)).body.code).toBe('AGENCY_ALREADY_EXISTS');
    });

    it.each(['56.H56', '000.00.20.h56', '000.05.00.H56', '000.00.00.H00'])('refuses the malformed id %s naming the field', async (code) => {
      const res = await create({ code, name: 'x', level: 'COMMUNE', parentCode: PROVINCE }).expect(400);
      expect(res.body).toMatchObject({
        code: 'VALIDATION_FAILED',
        details: [expect.objectContaining({ field: 'code', message: expect.stringContaining('V1V2V3.Z1Z2.Y1Y2.MX1X2') })],
      });
    });

    it('refuses an active district but records a former one', async () => {
      const active = await create({ code: '000.00.41.H56', name: 'UBND huyện cũ', level: 'DISTRICT', parentCode: PROVINCE }).expect(422);
      expect(active.body).toMatchObject({ code: 'DISTRICT_LEVEL_ABOLISHED', details: [expect.objectContaining({ field: 'active' })] });
      await create({ code: '000.00.41.H56', name: 'UBND huyện cũ', level: 'DISTRICT', parentCode: PROVINCE, active: false }).expect(201);
      const reactivate = await t.http().patch('/api/v1/admin/agencies/000.00.41.H56').set(admin).send({ active: true }).expect(422);
      expect(reactivate.body.code).toBe('DISTRICT_LEVEL_ABOLISHED');
    });

    it('checks the parent: required below province, existing, not lower, not a descendant', async () => {
      const orphan = await create({ code: '000.00.25.H56', name: 'x', level: 'COMMUNE' }).expect(422);
      expect(orphan.body).toMatchObject({ code: 'INVALID_AGENCY_PARENT', details: [expect.objectContaining({ field: 'parentCode' })] });
      const missing = await create({ code: '000.00.25.H56', name: 'x', level: 'COMMUNE', parentCode: '000.00.00.H99' }).expect(422);
      expect(missing.body).toMatchObject({ code: 'PARENT_AGENCY_NOT_FOUND', details: [expect.objectContaining({ field: 'parentCode' })] });
      const upsideDown = await create({ code: '000.00.26.H56', name: 'x', level: 'PROVINCE', parentCode: COMMUNES[0] }).expect(422);
      expect(upsideDown.body.code).toBe('INVALID_AGENCY_PARENT');

      await create({ code: '000.00.07.H56', name: 'Sở Xây dựng', level: 'PROVINCE', parentCode: PROVINCE }).expect(201);
      await create({ code: '000.01.07.H56', name: 'Phòng Quản lý xây dựng', level: 'PROVINCE', parentCode: '000.00.07.H56' }).expect(201);
      const cycle = await t.http().patch('/api/v1/admin/agencies/000.00.07.H56').set(admin).send({ parentCode: '000.01.07.H56' }).expect(422);
      expect(cycle.body.code).toBe('INVALID_AGENCY_PARENT');
      const demote = await t.http().patch('/api/v1/admin/agencies/000.00.07.H56').set(admin).send({ level: 'COMMUNE' }).expect(422);
      expect(demote.body).toMatchObject({ code: 'INVALID_AGENCY_PARENT', details: [expect.objectContaining({ field: 'level' })] });
    });

    it('changes office hours, refusing periods that end before they start', async () => {
      const saturday = {
        timeZone: 'Asia/Ho_Chi_Minh',
        cutOff: '15:00',
        days: [...[1, 2, 3, 4, 5].map((weekday) => ({ weekday, periods: STANDARD_DAY })), { weekday: 6, periods: [STANDARD_DAY[0]] }],
      };
      const ok = await t.http().patch(`/api/v1/admin/agencies/${COMMUNES[3]}`).set(admin).send({ officeHours: saturday }).expect(200);
      expect(ok.body.officeHours).toEqual(saturday);
      expect((await t.http().get(`/api/v1/agencies/${COMMUNES[3]}`).expect(200)).body.officeHours.days).toHaveLength(6);

      const backwards = { ...saturday, days: [{ weekday: 1, periods: [{ start: '11:30', end: '07:30' }] }] };
      const bad = await t.http().patch(`/api/v1/admin/agencies/${COMMUNES[3]}`).set(admin).send({ officeHours: backwards }).expect(422);
      expect(bad.body).toMatchObject({ code: 'INVALID_OFFICE_HOURS', details: [expect.objectContaining({ field: 'officeHours.days.0.periods.0' })] });
      const badTime = await t
        .http()
        .patch(`/api/v1/admin/agencies/${COMMUNES[3]}`)
        .set(admin)
        .send({ officeHours: { ...saturday, cutOff: '3pm' } })
        .expect(400);
      expect(badTime.body.details[0]).toMatchObject({ field: 'officeHours.cutOff' });
      for (const field of ['name', 'officeHours', 'isServiceCentre', 'active']) {
        const res = await t
          .http()
          .patch(`/api/v1/admin/agencies/${COMMUNES[3]}`)
          .set(admin)
          .send({ [field]: null })
          .expect(400);
        expect(res.body.details[0]).toMatchObject({ field });
      }
      expect((await t.http().patch('/api/v1/admin/agencies/000.00.97.H56').set(admin).send({ name: 'x' }).expect(404)).body.code).toBe('AGENCY_NOT_FOUND');
    });

    it('sets the procedures an agency resolves, refusing unknown codes by name', async () => {
      const unknown = await t
        .http()
        .put(`/api/v1/admin/agencies/${POLICE}/procedures`)
        .set(admin)
        .send({ procedureCodes: ['3.000333', '9.123456', '1.001456', 'nope'] })
        .expect(422);
      expect(unknown.body).toMatchObject({
        code: 'UNKNOWN_PROCEDURE_CODES',
        message: expect.stringContaining('9.123456, nope'),
        details: [
          { field: 'procedureCodes.1', message: expect.stringContaining('9.123456') },
          { field: 'procedureCodes.3', message: expect.stringContaining('nope') },
        ],
      });
      expect((await t.http().get(`/api/v1/agencies/${POLICE}`).expect(200)).body.procedureCodes).toContain('3.000348'); // unchanged

      const set = await t
        .http()
        .put(`/api/v1/admin/agencies/${POLICE}/procedures`)
        .set(admin)
        .send({ procedureCodes: ['3.000333', '1.001456'] })
        .expect(200);
      expect(set.body).toMatchObject({ code: POLICE, procedureCodes: ['1.001456', '3.000333'] });
      expect(codes(await list({ procedureCode: '3.000348' }))).toEqual([]);
      await t.http().put(`/api/v1/admin/agencies/${POLICE}/procedures`).set(admin).send({ procedureCodes: [] }).expect(200);
      expect((await t.http().get(`/api/v1/agencies/${POLICE}`).expect(200)).body.procedureCodes).toEqual([]);
      const dup = await t
        .http()
        .put(`/api/v1/admin/agencies/${POLICE}/procedures`)
        .set(admin)
        .send({ procedureCodes: ['3.000333', '3.000333'] })
        .expect(400);
      expect(dup.body.details[0]).toMatchObject({ field: 'procedureCodes' });
    });
  });

  it('documents every agency route, public reads without security', async () => {
    const doc = (await t.http().get('/docs-json').expect(200)).body;
    expect(doc.paths['/api/v1/agencies'].get.security).toEqual([]);
    expect(doc.paths['/api/v1/agencies/{code}'].get.security).toEqual([]);
    expect(doc.paths['/api/v1/admin/agencies'].post['x-roles']).toEqual(['ADMIN']);
    expect(doc.paths['/api/v1/admin/agencies/{code}'].patch['x-roles']).toEqual(['ADMIN']);
    expect(doc.paths['/api/v1/admin/agencies/{code}/procedures'].put['x-roles']).toEqual(['ADMIN']);
  });
});
