import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { seedDemoCatalog } from '../src/seed/demo-catalog.js';
import { asAdmin, registerCitizen } from './support/auth.js';
import { createTestApp, type TestApp } from './support/test-app.js';

// data/procedures.json has 32 records; 27 have an online service level and a time limit.
const LOADED = 27;
const FULL_ONLINE = 13;

const newProcedure = (code: string) => ({
  code,
  name: 'Thủ tục cấp giấy phép thử nghiệm',
  nameEn: 'Test permit',
  field: 'Thử nghiệm',
  serviceLevel: 'FULL_ONLINE',
  agencyLevels: ['PROVINCE'],
  timeLimit: { value: 5, unit: 'WORKING_DAYS' },
  fees: [{ name: 'Lệ phí', amountVnd: 50000 }],
  components: [
    { code: 'TP01', name: 'Đơn đề nghị', required: true, signatureRequired: true, originalRequired: false },
    { code: 'TP02', name: 'Bản sao giấy tờ liên quan (nếu có)', required: false, signatureRequired: false, originalRequired: false, group: 'Giấy tờ phải nộp' },
  ],
  steps: [
    { code: 'RECEIVE', name: 'Tiếp nhận', role: 'RECEPTION_OFFICER', budget: { value: 4, unit: 'WORKING_HOURS' } },
    { code: 'REVIEW', name: 'Thẩm định', role: 'SPECIALIST', budget: { value: 4, unit: 'WORKING_DAYS' } },
    { code: 'APPROVE', name: 'Phê duyệt', role: 'LEADER', budget: { value: 4, unit: 'WORKING_HOURS' } },
  ],
});

describe('procedure catalogue', () => {
  let t: TestApp;
  let admin: Record<string, string>;
  beforeAll(async () => {
    t = await createTestApp({ env: { SEED_DEMO: 'true' } });
    admin = await asAdmin(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  const list = async (query: Record<string, string | number>) => (await t.http().get('/api/v1/procedures').query(query).expect(200)).body;
  const codes = (body: { items: Array<{ code: string }> }) => body.items.map((p) => p.code);

  describe('listing', () => {
    it('pages through every seeded procedure by code, 20 by default', async () => {
      const first = await list({});
      expect(first.total).toBe(LOADED);
      expect(first.items).toHaveLength(20);
      const seen: string[] = codes(first);
      let cursor = first.nextCursor;
      while (cursor) {
        const page = await list({ limit: 5, cursor });
        expect(page.total).toBe(LOADED);
        seen.push(...codes(page));
        cursor = page.nextCursor;
      }
      expect(seen).toHaveLength(LOADED);
      expect(new Set(seen).size).toBe(LOADED);
      expect([...seen].sort()).toEqual(seen);
      expect(first.items[0]).toEqual({
        code: expect.any(String),
        name: expect.any(String),
        nameEn: expect.anything(),
        field: expect.any(String),
        serviceLevel: expect.stringMatching(/^(FULL|PARTIAL)_ONLINE$/),
        agencyLevels: expect.any(Array),
        timeLimit: { value: expect.any(Number), unit: expect.any(String) },
        version: 1,
      });
    });

    it('filters by service level and agency level', async () => {
      const full = await list({ serviceLevel: 'FULL_ONLINE', limit: 100 });
      expect(full.total).toBe(FULL_ONLINE);
      expect(full.items.every((p: { serviceLevel: string }) => p.serviceLevel === 'FULL_ONLINE')).toBe(true);
      expect((await list({ serviceLevel: 'PARTIAL_ONLINE' })).total).toBe(LOADED - FULL_ONLINE);
      expect((await list({ serviceLevel: '4' })).total).toBe(FULL_ONLINE); // legacy level 4 = full online

      const provincePartial = await list({ agencyLevel: 'PROVINCE', serviceLevel: 'PARTIAL_ONLINE' });
      expect(codes(provincePartial)).toEqual(['1.012783', '1.014137', '2.001195']);
      const communeFull = await list({ agencyLevel: 'COMMUNE', serviceLevel: 'FULL_ONLINE', limit: 100 });
      expect(codes(communeFull)).toEqual(expect.arrayContaining(['1.004194', '1.001612', '1.116410']));
      expect(codes(communeFull)).not.toContain('3.000333');
    });

    it('filters by field', async () => {
      const civil = await list({ field: 'Hộ tịch', limit: 100 });
      expect(civil.total).toBe(8);
      expect(civil.items.every((p: { field: string }) => p.field === 'Hộ tịch')).toBe(true);
      expect(codes(civil)).toContain('1.001193');
    });

    it('finds by words ignoring accents and case, every word required', async () => {
      const plain = await list({ q: 'dang ky khai sinh' });
      expect(codes(plain)).toEqual(['1.001193', '2.000528']);
      expect(codes(await list({ q: 'ĐĂNG KÝ   Khai Sinh' }))).toEqual(['1.001193', '2.000528']);
      expect(codes(await list({ q: 'khai sinh nuoc ngoai' }))).toEqual(['2.000528']);
      expect((await list({ q: 'khai sinh ket hon' })).total).toBe(0);
      expect(codes(await list({ q: '1.001193' }))).toEqual(['1.001193']);
      expect(codes(await list({ q: 'birth registration' }))).toContain('1.001193'); // English name
      expect((await list({ q: '%' })).total).toBe(0); // LIKE wildcards are literal
    });

    it('refuses bad query parameters naming them', async () => {
      const tooMany = await t.http().get('/api/v1/procedures?limit=101').expect(400);
      expect(tooMany.body).toMatchObject({ code: 'VALIDATION_FAILED', details: [expect.objectContaining({ field: 'limit' })] });
      await t.http().get('/api/v1/procedures?limit=0').expect(400);
      const level = await t.http().get('/api/v1/procedures?serviceLevel=2').expect(400);
      expect(level.body.details[0]).toMatchObject({ field: 'serviceLevel' });
      const unknown = await t.http().get('/api/v1/procedures?sort=name').expect(400);
      expect(unknown.body).toMatchObject({ code: 'UNKNOWN_FIELD', details: [expect.objectContaining({ field: 'sort' })] });
      const cursor = await t.http().get('/api/v1/procedures?cursor=not-a-cursor').expect(400);
      expect(cursor.body).toMatchObject({ code: 'INVALID_CURSOR', details: [{ field: 'cursor', message: expect.any(String) }] });
    });
  });

  describe('one procedure', () => {
    it('gives birth registration 1.001193 with fees, coded components and its process', async () => {
      const { body } = await t.http().get('/api/v1/procedures/1.001193').expect(200);
      expect(body).toMatchObject({
        code: '1.001193',
        name: 'Thủ tục đăng ký khai sinh',
        nameEn: 'Birth registration',
        field: 'Hộ tịch',
        serviceLevel: 'PARTIAL_ONLINE',
        agencyLevels: ['COMMUNE'],
        timeLimit: { value: 1, unit: 'WORKING_DAYS' },
        version: 1,
      });
      // The portal's line, as a fee line: named after its channels, collected with the result, nobody exempt (it is free).
      expect(body.fees).toEqual([
        {
          code: 'LP01',
          name: 'Trực tuyến, Dịch vụ bưu chính, Trực tiếp',
          kind: 'LE_PHI',
          amountVnd: 0,
          collectAt: 'AT_RESULT',
          channels: ['ONLINE', 'POSTAL', 'COUNTER'],
          exemptCategories: [],
          text: null,
        },
      ]);
      expect(body.components.map((c: { code: string }) => c.code)).toEqual(['TP01', 'TP02', 'TP03', 'TP04', 'TP05', 'TP06', 'TP07', 'TP08']);
      const required = body.components.filter((c: { required: boolean }) => c.required).map((c: { name: string }) => c.name);
      expect(required).toHaveLength(3);
      expect(required[0]).toMatch(/^Giấy chứng sinh/);
      expect(required[2]).toMatch(/^Mẫu hộ tịch điện tử tương tác/);
      expect(body.components[0]).toEqual({
        code: 'TP01',
        name: expect.stringMatching(/^Trường hợp trẻ em bị bỏ rơi/),
        required: false,
        signatureRequired: false,
        originalRequired: true,
        group: 'Giấy tờ phải nộp',
      });
      expect(body.steps).toEqual([
        { code: 'RECEIVE', name: expect.any(String), role: 'RECEPTION_OFFICER', budget: { value: 1, unit: 'WORKING_HOURS' } },
        { code: 'REVIEW', name: expect.any(String), role: 'SPECIALIST', budget: { value: 5, unit: 'WORKING_HOURS' } },
        { code: 'APPROVE', name: expect.any(String), role: 'LEADER', budget: { value: 2, unit: 'WORKING_HOURS' } },
      ]);
    });

    it('answers an unknown procedure with 404 PROCEDURE_NOT_FOUND', async () => {
      const { body } = await t.http().get('/api/v1/procedures/9.999999').set('X-Request-Id', 'r-404').expect(404);
      expect(body).toEqual({
        statusCode: 404,
        code: 'PROCEDURE_NOT_FOUND',
        message: expect.stringContaining('9.999999'),
        details: [{ field: 'code', message: expect.any(String) }],
        requestId: 'r-404',
      });
    });
  });

  describe('administration', () => {
    it('lets only an admin change the catalogue', async () => {
      expect((await t.http().post('/api/v1/admin/procedures').send(newProcedure('9.000011')).expect(401)).body.code).toBe('UNAUTHENTICATED');
      const citizen = await registerCitizen(t);
      const asCitizen = { Authorization: `Bearer ${citizen.token}` };
      expect((await t.http().post('/api/v1/admin/procedures').set(asCitizen).send(newProcedure('9.000011')).expect(403)).body.code).toBe('FORBIDDEN');
      await t.http().patch('/api/v1/admin/procedures/1.001193').set(asCitizen).send({ name: 'x' }).expect(403);
      expect((await t.http().get('/api/v1/procedures/1.001193').expect(200)).body.name).toBe('Thủ tục đăng ký khai sinh');
    });

    it('creates a procedure that is then listed and found without accents', async () => {
      const created = await t.http().post('/api/v1/admin/procedures').set(admin).send(newProcedure('9.000001')).expect(201);
      expect(created.body).toMatchObject({ code: '9.000001', version: 1, fees: [{ name: 'Lệ phí', amountVnd: 50000, text: null }] });
      expect(created.body.components[0]).toMatchObject({ code: 'TP01', group: null });
      await t.http().get('/api/v1/procedures/9.000001').expect(200);
      expect(codes(await list({ q: 'giay phep thu nghiem' }))).toEqual(['9.000001']);
      const again = await t.http().post('/api/v1/admin/procedures').set(admin).send(newProcedure('9.000001')).expect(409);
      expect(again.body.code).toBe('PROCEDURE_ALREADY_EXISTS');
    });

    it('accepts legacy service levels 3 and 4', async () => {
      const { body } = await t
        .http()
        .post('/api/v1/admin/procedures')
        .set(admin)
        .send({ ...newProcedure('9.000002'), serviceLevel: 3 })
        .expect(201);
      expect(body.serviceLevel).toBe('PARTIAL_ONLINE');
    });

    it('refuses unknown fields, at the top and nested, naming them', async () => {
      const top = await t
        .http()
        .post('/api/v1/admin/procedures')
        .set(admin)
        .send({ ...newProcedure('9.000003'), legacyId: 7 })
        .expect(400);
      expect(top.body).toMatchObject({ code: 'UNKNOWN_FIELD', details: [expect.objectContaining({ field: 'legacyId' })] });
      const body = newProcedure('9.000003');
      const nested = await t
        .http()
        .post('/api/v1/admin/procedures')
        .set(admin)
        .send({ ...body, components: [{ ...body.components[0], mandatory: true }] })
        .expect(400);
      expect(nested.body).toMatchObject({ code: 'UNKNOWN_FIELD', details: [expect.objectContaining({ field: 'components.0.mandatory' })] });
      await t.http().get('/api/v1/procedures/9.000003').expect(404);
    });

    it('refuses invalid values naming the field', async () => {
      const { name: _name, ...noName } = newProcedure('9.000004');
      const missing = await t.http().post('/api/v1/admin/procedures').set(admin).send(noName).expect(400);
      expect(missing.body.code).toBe('VALIDATION_FAILED');
      expect(new Set(missing.body.details.map((d: { field: string }) => d.field))).toEqual(new Set(['name']));
      const body = newProcedure('9.000004');
      const badStep = await t
        .http()
        .post('/api/v1/admin/procedures')
        .set(admin)
        .send({ ...body, steps: [{ ...body.steps[0], role: 'CITIZEN' }] })
        .expect(400);
      expect(badStep.body.details).toEqual([expect.objectContaining({ field: 'steps.0.role' })]);
      const noSteps = await t
        .http()
        .post('/api/v1/admin/procedures')
        .set(admin)
        .send({ ...body, steps: [] })
        .expect(400);
      expect(noSteps.body.details[0]).toMatchObject({ field: 'steps' });
      const district = await t
        .http()
        .post('/api/v1/admin/procedures')
        .set(admin)
        .send({ ...body, agencyLevels: ['DISTRICT'] })
        .expect(400);
      expect(district.body.details[0]).toMatchObject({ field: 'agencyLevels' });
    });

    it('refuses an internal process longer than the legal limit, saying the sum and the limit', async () => {
      const body = newProcedure('9.000005');
      body.steps[1].budget = { value: 41, unit: 'WORKING_HOURS' }; // 4 h + 41 h + 4 h = 49 h > 5 days (40 h)
      const res = await t.http().post('/api/v1/admin/procedures').set(admin).send(body).expect(422);
      expect(res.body).toMatchObject({
        code: 'PROCESS_EXCEEDS_TIME_LIMIT',
        details: [{ field: 'steps', message: expect.any(String), sum: { value: 6.13, unit: 'WORKING_DAYS' }, limit: { value: 5, unit: 'WORKING_DAYS' } }],
      });
      expect(res.body.message).toMatch(/6\.13 ngày làm việc.*5 ngày làm việc/);
      await t.http().get('/api/v1/procedures/9.000005').expect(404);
    });

    it('refuses component codes used twice', async () => {
      const body = newProcedure('9.000006');
      body.components[1].code = 'TP01';
      const res = await t.http().post('/api/v1/admin/procedures').set(admin).send(body).expect(422);
      expect(res.body).toMatchObject({ code: 'DUPLICATE_COMPONENT_CODE', details: [{ field: 'components.1.code', message: expect.stringContaining('TP01') }] });
    });

    it('bumps the version on each change, keeps old versions, and ignores a change to the same values', async () => {
      await t.http().post('/api/v1/admin/procedures').set(admin).send(newProcedure('9.000007')).expect(201);
      const v2 = await t
        .http()
        .patch('/api/v1/admin/procedures/9.000007')
        .set(admin)
        .send({ timeLimit: { value: 7, unit: 'WORKING_DAYS' }, name: 'Thủ tục đã sửa' })
        .expect(200);
      expect(v2.body).toMatchObject({
        version: 2,
        name: 'Thủ tục đã sửa',
        timeLimit: { value: 7, unit: 'WORKING_DAYS' },
        components: newProcedure('x').components.map((c) => expect.objectContaining({ code: c.code })),
      });
      const same = await t
        .http()
        .patch('/api/v1/admin/procedures/9.000007')
        .set(admin)
        .send({ name: 'Thủ tục đã sửa', timeLimit: { value: 7, unit: 'WORKING_DAYS' } })
        .expect(200);
      expect(same.body.version).toBe(2);
      expect((await t.http().get('/api/v1/procedures/9.000007').expect(200)).body.version).toBe(2);
      const v1 = await t.http().get('/api/v1/procedures/9.000007/versions/1').expect(200);
      expect(v1.body).toMatchObject({ version: 1, name: 'Thủ tục cấp giấy phép thử nghiệm', timeLimit: { value: 5, unit: 'WORKING_DAYS' } });
      expect((await t.http().get('/api/v1/procedures/9.000007/versions/3').expect(404)).body.code).toBe('PROCEDURE_VERSION_NOT_FOUND');
      expect(codes(await list({ q: 'thu tuc da sua' }))).toEqual(['9.000007']); // search text follows the name
    });

    it('checks the merged procedure on update: a shorter limit must still hold the steps', async () => {
      await t.http().post('/api/v1/admin/procedures').set(admin).send(newProcedure('9.000008')).expect(201);
      const res = await t
        .http()
        .patch('/api/v1/admin/procedures/9.000008')
        .set(admin)
        .send({ timeLimit: { value: 2, unit: 'WORKING_DAYS' } })
        .expect(422);
      expect(res.body.details[0]).toMatchObject({ field: 'steps', sum: { value: 5, unit: 'WORKING_DAYS' }, limit: { value: 2, unit: 'WORKING_DAYS' } });
      expect((await t.http().get('/api/v1/procedures/9.000008').expect(200)).body).toMatchObject({ version: 1, timeLimit: { value: 5 } });
    });

    it('refuses null for what a procedure cannot lack, and lets the English name be cleared', async () => {
      await t.http().post('/api/v1/admin/procedures').set(admin).send(newProcedure('9.000010')).expect(201);
      for (const field of ['fees', 'steps', 'name', 'timeLimit']) {
        const res = await t
          .http()
          .patch('/api/v1/admin/procedures/9.000010')
          .set(admin)
          .send({ [field]: null })
          .expect(400);
        expect(res.body.details[0]).toMatchObject({ field });
      }
      const cleared = await t.http().patch('/api/v1/admin/procedures/9.000010').set(admin).send({ nameEn: null }).expect(200);
      expect(cleared.body).toMatchObject({ nameEn: null, version: 2 });
    });

    it('refuses an update made against an old version', async () => {
      await t.http().post('/api/v1/admin/procedures').set(admin).send(newProcedure('9.000009')).expect(201);
      await t.http().patch('/api/v1/admin/procedures/9.000009').set(admin).send({ field: 'Khác', expectedVersion: 1 }).expect(200);
      const stale = await t.http().patch('/api/v1/admin/procedures/9.000009').set(admin).send({ field: 'Lại khác', expectedVersion: 1 }).expect(409);
      expect(stale.body).toMatchObject({
        code: 'PROCEDURE_VERSION_CONFLICT',
        details: [expect.objectContaining({ field: 'expectedVersion', currentVersion: 2 })],
      });
    });

    it('answers a change to an unknown procedure with 404, and refuses changing the code', async () => {
      expect((await t.http().patch('/api/v1/admin/procedures/9.999999').set(admin).send({ name: 'x' }).expect(404)).body.code).toBe('PROCEDURE_NOT_FOUND');
      const code = await t.http().patch('/api/v1/admin/procedures/1.001193').set(admin).send({ code: '1.999999' }).expect(400);
      expect(code.body).toMatchObject({ code: 'UNKNOWN_FIELD', details: [expect.objectContaining({ field: 'code' })] });
    });
  });

  describe('demo seed', () => {
    it('adds nothing and changes nothing when run again', async () => {
      const counts = async () =>
        (
          await t.db.query(`SELECT (SELECT count(*) FROM procedure)::int AS p, (SELECT count(*) FROM procedure_revision)::int AS r,
        (SELECT count(*) FROM agency)::int AS a, (SELECT count(*) FROM agency_procedure)::int AS ap, (SELECT sum(version) FROM procedure)::int AS v`)
        ).rows[0];
      const before = await counts();
      const report = await seedDemoCatalog(t.app);
      expect(report.agenciesCreated).toEqual([]);
      expect(report.proceduresCreated).toEqual([]);
      expect(report.proceduresExisting).toHaveLength(LOADED);
      expect(report.proceduresSkipped.map((s) => s.code).sort()).toEqual(['2.000635', '2.000815', '2.000884', '2.002913', '3.000722']);
      expect(await counts()).toEqual(before);
    });
  });

  it('documents every catalogue route, public reads without security', async () => {
    const doc = (await t.http().get('/docs-json').expect(200)).body;
    expect(doc.paths['/api/v1/procedures'].get.security).toEqual([]);
    expect(doc.paths['/api/v1/procedures/{code}'].get.security).toEqual([]);
    expect(doc.paths['/api/v1/admin/procedures'].post['x-roles']).toEqual(['ADMIN']);
    expect(doc.paths['/api/v1/admin/procedures/{code}'].patch['x-roles']).toEqual(['ADMIN']);
    expect(doc.components.schemas.CreateProcedureDto.required).toEqual(
      expect.arrayContaining(['code', 'name', 'field', 'serviceLevel', 'agencyLevels', 'timeLimit', 'steps']),
    );
  });
});
