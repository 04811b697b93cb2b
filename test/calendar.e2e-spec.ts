import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CALENDAR_CHANGED_TOPIC, CalendarService, type CalendarChange } from '../src/calendar/calendar.service.js';
import { storedNationalDays } from '../src/calendar/national-schedule.js';
import { asAdmin, registerCitizen } from './support/auth.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const PROVINCE = '000.00.00.H56';
const COMMUNE = '000.00.20.H56';

describe('calendar', () => {
  let t: TestApp;
  let admin: Record<string, string>;
  beforeAll(async () => {
    t = await createTestApp({ env: { SEED_DEMO: 'true' } });
    admin = await asAdmin(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  const days = async (query: Record<string, string>) =>
    (await t.http().get('/api/v1/calendar/days').query(query).expect(200)).body.items as Array<Record<string, unknown>>;
  const dueDate = async (query: Record<string, string | number>) => (await t.http().get('/api/v1/calendar/due-date').query(query).expect(200)).body;
  const put = (date: string, body: Record<string, unknown>) => t.http().put(`/api/v1/calendar/days/${date}`).set(admin).send(body);

  describe('the national schedule', () => {
    it('is stored at start from data/vn-holidays.json, with sources', async () => {
      const { rows } = await t.db.query(`SELECT count(*)::int AS n FROM calendar_days WHERE agency_code IS NULL`);
      expect(rows[0].n).toBe(storedNationalDays().length);
      const tet = await days({ from: '2026-02-01', to: '2026-02-28' });
      expect(tet.map((d) => d.date)).toEqual(['2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20']);
      expect(tet[1]).toMatchObject({
        type: 'HOLIDAY',
        name: expect.stringContaining('mùng 1'),
        level: 'NATIONAL',
        agencyCode: null,
        confidence: 'official',
        provisional: false,
        source: expect.stringContaining('9441'),
      });
      expect((await days({ from: '2026-08-22', to: '2026-08-22' }))[0]).toMatchObject({ type: 'WORKING_DAY' });
    });

    it('derives provisional holidays for years without a notice', async () => {
      const tet2030 = await days({ from: '2030-01-25', to: '2030-02-10' });
      expect(tet2030.map((d) => d.date)).toEqual(['2030-01-31', '2030-02-01', '2030-02-02', '2030-02-03', '2030-02-04', '2030-02-05', '2030-02-06']);
      expect(tet2030.every((d) => d.provisional === true && d.confidence === 'derived')).toBe(true);
    });

    it("seeds idempotently and keeps an administrator's correction", async () => {
      await put('2026-09-01', { type: 'HOLIDAY', name: 'Nghỉ lễ Quốc khánh (đã sửa)' }).expect(200);
      expect(await t.app.get(CalendarService).seedNational()).toBe(0);
      expect((await days({ from: '2026-09-01', to: '2026-09-01' }))[0]).toMatchObject({
        name: 'Nghỉ lễ Quốc khánh (đã sửa)',
        confidence: null,
        source: expect.stringContaining('admin'),
      });
    });
  });

  describe('due-date preview', () => {
    it('skips Tết 2026: 5 working days from Friday 13/2 10:00 end Friday 27/2 17:00', async () => {
      // Day 0 Fri 13/2 (not counted); 16–20/2 Tết; days 1–5 Mon 23 … Fri 27; due soon a working day before.
      expect(await dueDate({ start: '2026-02-13T10:00:00+07:00', value: 5, unit: 'WORKING_DAYS' })).toEqual({
        clockStartsAt: '2026-02-13T03:00:00.000Z',
        dueAt: '2026-02-27T10:00:00.000Z',
        dueSoonAt: '2026-02-26T10:00:00.000Z',
      });
      // After the 15:00 cut-off on Thu 12/2 the clock starts Fri 13/2 07:30: the same due date.
      expect((await dueDate({ start: '2026-02-12T15:00:00+07:00', value: 5, unit: 'WORKING_DAYS' })).clockStartsAt).toBe('2026-02-13T00:30:00.000Z');
      // Hours rule: 40 working hours = 5.5 h on Fri 13, 32 h Mon 23–Thu 26, 2.5 h on Fri 27 → 10:00.
      expect((await dueDate({ start: '2026-02-13T10:00:00+07:00', value: 5, unit: 'WORKING_DAYS', rule: 'HOURS' })).dueAt).toBe('2026-02-27T03:00:00.000Z');
      // 7 calendar days land on Fri 20/2, a Tết day: due at the end of Mon 23/2.
      expect((await dueDate({ start: '2026-02-13T10:00:00+07:00', value: 7, unit: 'CALENDAR_DAYS' })).dueAt).toBe('2026-02-23T10:00:00.000Z');
    });

    it('refuses bad parameters, naming them, and unknown agencies with 422', async () => {
      const bad = async (query: Record<string, string | number>, field: string) =>
        expect((await t.http().get('/api/v1/calendar/due-date').query(query).expect(400)).body.details[0]).toMatchObject({ field });
      await bad({ value: 5, unit: 'WEEKS' }, 'unit');
      await bad({ value: -1, unit: 'WORKING_DAYS' }, 'value');
      await bad({ value: 5, unit: 'WORKING_DAYS', start: 'tomorrow' }, 'start');
      const res = await t.http().get('/api/v1/calendar/due-date').query({ value: 5, unit: 'WORKING_DAYS', agencyCode: '000.00.99.H56' }).expect(422);
      expect(res.body).toMatchObject({ code: 'UNKNOWN_AGENCY', details: [{ field: 'agencyCode' }] });
      const far = await t.http().get('/api/v1/calendar/due-date').query({ value: 5, unit: 'WORKING_DAYS', start: '2099-12-31T10:00:00+07:00' }).expect(422);
      expect(far.body.code).toBe('OUT_OF_CALENDAR_RANGE');
    });
  });

  describe('agency days', () => {
    it('lets a province work a national holiday, its communes follow, and a commune override it again', async () => {
      // Every change is announced (to the deadline engine) by an outbox row written with it.
      const changes = async (): Promise<CalendarChange[]> =>
        (
          await t.db.query(`SELECT payload FROM outbox WHERE topic = $1 AND payload->>'date' = '2026-02-20' ORDER BY id`, [CALENDAR_CHANGED_TOPIC.name])
        ).rows.map((r) => r.payload);
      const preview = async (agencyCode: string) => (await dueDate({ agencyCode, start: '2026-02-13T10:00:00+07:00', value: 5, unit: 'WORKING_DAYS' })).dueAt;
      expect(await preview(COMMUNE)).toBe('2026-02-27T10:00:00.000Z');

      const set = await put('2026-02-20', { type: 'WORKING_DAY', name: 'Làm việc mùng 4 Tết', agencyCode: PROVINCE }).expect(200);
      expect(set.body).toMatchObject({ date: '2026-02-20', type: 'WORKING_DAY', level: 'AGENCY', agencyCode: PROVINCE });
      expect(await changes()).toEqual([{ agencyCode: PROVINCE, date: '2026-02-20', at: expect.any(String) }]);
      expect((await days({ agencyCode: COMMUNE, from: '2026-02-20', to: '2026-02-20' }))[0]).toMatchObject({
        type: 'WORKING_DAY',
        level: 'PARENT',
        agencyCode: PROVINCE,
      });
      // Fri 20/2 now counts: days 1–5 are Fri 20, Mon 23 … Thu 26.
      expect(await preview(COMMUNE)).toBe('2026-02-26T10:00:00.000Z');
      expect((await dueDate({ start: '2026-02-13T10:00:00+07:00', value: 5, unit: 'WORKING_DAYS' })).dueAt).toBe('2026-02-27T10:00:00.000Z');

      await put('2026-02-20', { type: 'HOLIDAY', name: 'Nghỉ Tết', agencyCode: COMMUNE }).expect(200);
      expect((await days({ agencyCode: COMMUNE, from: '2026-02-20', to: '2026-02-20' }))[0]).toMatchObject({
        type: 'HOLIDAY',
        level: 'AGENCY',
        agencyCode: COMMUNE,
      });
      expect(await preview(COMMUNE)).toBe('2026-02-27T10:00:00.000Z');

      await t.http().delete('/api/v1/calendar/days/2026-02-20').query({ agencyCode: COMMUNE }).set(admin).expect(204);
      expect(await preview(COMMUNE)).toBe('2026-02-26T10:00:00.000Z');
      await t.http().delete('/api/v1/calendar/days/2026-02-20').query({ agencyCode: PROVINCE }).set(admin).expect(204);
      expect((await days({ agencyCode: COMMUNE, from: '2026-02-20', to: '2026-02-20' }))[0]).toMatchObject({ type: 'HOLIDAY', level: 'NATIONAL' });
      expect((await changes()).map((c) => c.agencyCode)).toEqual([PROVINCE, COMMUNE, COMMUNE, PROVINCE]);
    });

    it('shares one calendar between agencies with the same hours and days, not with one that differs', async () => {
      const service = t.app.get(CalendarService);
      expect(await service.calendarFor(COMMUNE)).toBe(await service.calendarFor('000.00.21.H56'));
      await put('2026-12-30', { type: 'HOLIDAY', name: 'Nghỉ địa phương', agencyCode: COMMUNE }).expect(200);
      expect(await service.calendarFor(COMMUNE)).not.toBe(await service.calendarFor('000.00.21.H56'));
      await t.http().delete('/api/v1/calendar/days/2026-12-30').query({ agencyCode: COMMUNE }).set(admin).expect(204);
    });

    it('only lets administrators change days', async () => {
      await t.http().put('/api/v1/calendar/days/2026-12-31').send({ type: 'HOLIDAY', name: 'x' }).expect(401);
      const citizen = await registerCitizen(t);
      const res = await t
        .http()
        .put('/api/v1/calendar/days/2026-12-31')
        .set({ Authorization: `Bearer ${citizen.token}` })
        .send({ type: 'HOLIDAY', name: 'x' });
      expect(res.status).toBe(403);
    });

    it('refuses invalid changes, naming the field', async () => {
      expect((await put('2026-02-30', { type: 'HOLIDAY', name: 'x' }).expect(400)).body.details[0]).toMatchObject({ field: 'date' });
      expect((await put('2026-12-31', { type: 'HALF_DAY', name: 'x' }).expect(400)).body.details[0]).toMatchObject({ field: 'type' });
      expect((await put('2026-12-31', { type: 'HOLIDAY', name: '' }).expect(400)).body.details[0]).toMatchObject({ field: 'name' });
      expect((await put('2026-12-31', { type: 'HOLIDAY', name: 'x', agencyCode: '000.00.99.H56' }).expect(422)).body).toMatchObject({
        code: 'UNKNOWN_AGENCY',
        details: [{ field: 'agencyCode' }],
      });
      expect((await t.http().delete('/api/v1/calendar/days/2026-12-31').set(admin).expect(404)).body.code).toBe('CALENDAR_DAY_NOT_FOUND');
      expect((await t.http().get('/api/v1/calendar/days').query({ from: '2026-12-31', to: '2026-01-01' }).expect(400)).body.details[0]).toMatchObject({
        field: 'to',
      });
    });
  });
});
