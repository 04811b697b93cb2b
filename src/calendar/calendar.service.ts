import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, IsNull, Repository } from 'typeorm';
import { AgenciesService } from '../agencies/agencies.service.js';
import { defaultOfficeHours, type OfficeHours } from '../agencies/office-hours.js';
import type { Duration } from '../catalog/catalog.types.js';
import { Clock } from '../common/clock.js';
import { enqueue, outboxTopic } from '../outbox/outbox.js';
import { AppError } from '../common/errors.js';
import { CalendarDay } from './calendar-day.entity.js';
import { provisionalNationalHolidays } from './national-holidays.js';
import { storedNationalDays } from './national-schedule.js';
import { CommonErrors } from '../common/common.errors.js';
import { CalendarErrors } from './calendar.errors.js';
import { AgencyErrors } from '../agencies/agencies.errors.js';
import {
  buildWorkingCalendar,
  computeDueDate,
  DEFAULT_CALENDAR_RANGE,
  dueSoonAt,
  epochDay,
  type CalendarDayType,
  type CalendarException,
  type DeadlineRule,
  type DueDate,
  type WorkingCalendar,
} from './working-calendar.js';

/** Where an effective day comes from, nearest first: the agency, one of its parents, the nation. */
export type CalendarDayLevel = 'AGENCY' | 'PARENT' | 'NATIONAL';

export interface EffectiveCalendarDay extends CalendarException {
  level: CalendarDayLevel;
  /** The agency whose row it is; null for national days. */
  agencyCode: string | null;
  source: string | null;
  confidence: string | null;
  provisional: boolean;
}

export interface CalendarChange {
  agencyCode: string | null;
  date: string;
  /** When the change was made (ISO); absent in rows written before it was recorded. */
  at?: string;
}

/**
 * A day of the calendar changed (written with the change, so it is never lost): the deadline
 * engine re-projects the running clocks it affects.
 */
export const CALENDAR_CHANGED_TOPIC = outboxTopic<CalendarChange>('calendar.changed');

export interface CalendarDayInput {
  type: CalendarDayType;
  name: string;
  agencyCode?: string | null;
}

interface CachedCalendar {
  calendar: WorkingCalendar;
  days: Map<string, EffectiveCalendarDay>;
  builtAt: number;
}

/**
 * Other replicas learn of a change only through this: a calendar older than this is rebuilt, so an
 * office-hours change in AgenciesService or a day changed through another replica shows within it.
 */
const CACHE_TTL_MS = 60_000;
const MAX_CHAIN = 16;
const MAX_LISTED_DAYS = 3 * 366;

/**
 * The working-time calendar of each agency: its office hours and the dated exceptions that apply to
 * it (its own, then its parents', then the national schedule; a nearer level wins for a date), with
 * provisional national holidays for the years the stored schedule does not cover. Calendars are
 * built once and cached; a change through this service drops the cache and tells the listeners.
 */
@Injectable()
export class CalendarService {
  private readonly cache = new Map<string, Promise<CachedCalendar>>();
  /** Built calendars by content (hours and days), shared between agencies. */
  private readonly calendars = new Map<string, WorkingCalendar>();
  /** When this process last forgot its built calendars (clock ms). */
  private invalidatedAt = 0;

  constructor(
    @InjectRepository(CalendarDay) private readonly days: Repository<CalendarDay>,
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(AgenciesService) private readonly agencies: AgenciesService,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  /** The working calendar of an agency; null gives the national one with default office hours. */
  async calendarFor(agencyCode: string | null): Promise<WorkingCalendar> {
    return (await this.cached(agencyCode)).calendar;
  }

  /** The exceptions in force for the agency (or nationally) between two dates, inclusive. */
  async effectiveDays(agencyCode: string | null, from: string, to: string): Promise<EffectiveCalendarDay[]> {
    assertCalendarDate(from, 'from');
    assertCalendarDate(to, 'to');
    if (to < from || epochDay(to) - epochDay(from) > MAX_LISTED_DAYS) {
      throw CommonErrors.VALIDATION_FAILED('Khoảng ngày không hợp lệ', `"to" must be on or after "from", at most ${MAX_LISTED_DAYS} days later`, [
        { field: 'to', message: `must be on or after from, at most ${MAX_LISTED_DAYS} days later` },
      ]);
    }
    const { days } = await this.cached(agencyCode);
    return [...days.values()].filter((d) => d.date >= from && d.date <= to).sort((a, b) => a.date.localeCompare(b.date));
  }

  /**
   * A client's preview of a time limit: when the clock of a dossier received at `start` would
   * start, when it would be due and due soon (422 OUT_OF_CALENDAR_RANGE outside the years covered).
   */
  async previewDueDate(agencyCode: string | null, start: Date | null, limit: Duration, rule: DeadlineRule): Promise<DueDate & { dueSoonAt: Date }> {
    const calendar = await this.calendarFor(agencyCode);
    try {
      const due = computeDueDate(calendar, start ?? this.clock.now(), limit, rule);
      return { ...due, dueSoonAt: dueSoonAt(calendar, due.clockStartsAt, due.dueAt) };
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
      throw CalendarErrors.OUT_OF_CALENDAR_RANGE(calendar.fromYear, calendar.toYear, [{ field: start ? 'start' : 'value', message: e.message }]);
    }
  }

  /**
   * Forgets the built calendars, so the next reading sees the stored days (a change through this
   * process does it at once; another process's change reaches us with CALENDAR_CHANGED_TOPIC, or
   * after CACHE_TTL_MS).
   */
  invalidate(): void {
    this.cache.clear();
    this.calendars.clear();
    this.invalidatedAt = this.clock.now().getTime();
  }

  /**
   * For a change announced through the outbox: forgets the built calendars unless this process
   * already did since the change (it made the change itself), so calendars built after it stay
   * shared.
   */
  invalidateFor(change: CalendarChange): void {
    if (change.at && this.invalidatedAt >= Date.parse(change.at)) return;
    this.invalidate();
  }

  /** Sets (creates or replaces) the exception of an agency, or the national one, on a date. */
  async setDay(date: string, input: CalendarDayInput, changedBy: string): Promise<EffectiveCalendarDay> {
    assertCalendarDate(date, 'date');
    const agencyCode = input.agencyCode ?? null;
    await this.assertKnownAgency(agencyCode);
    const row = await this.dataSource.transaction(async (m) => {
      const repo = m.getRepository(CalendarDay);
      const existing = await repo.findOne({ where: { agencyCode: agencyCode ?? IsNull(), date }, lock: { mode: 'pessimistic_write' } });
      const next = existing ?? repo.create({ agencyCode, date });
      Object.assign(next, {
        type: input.type,
        name: input.name,
        source: `Quản trị viên / administrator: ${changedBy}`,
        confidence: null,
        provisional: false,
        updatedAt: this.clock.now(),
      });
      const saved = await repo.save(next);
      await enqueue(m, CALENDAR_CHANGED_TOPIC, { agencyCode, date, at: this.clock.now().toISOString() });
      return saved;
    });
    this.invalidate();
    return toEffective(row, agencyCode === null ? 'NATIONAL' : 'AGENCY');
  }

  /** Removes the exception; the next level's day (or the weekly hours) applies again. */
  async deleteDay(date: string, agencyCode: string | null): Promise<void> {
    assertCalendarDate(date, 'date');
    await this.assertKnownAgency(agencyCode);
    await this.dataSource.transaction(async (m) => {
      const { affected } = await m.getRepository(CalendarDay).delete({ agencyCode: agencyCode ?? IsNull(), date });
      if (!affected) {
        throw CalendarErrors.CALENDAR_DAY_NOT_FOUND(date, agencyCode, [{ field: 'date', message: `no exception on ${date}` }]);
      }
      await enqueue(m, CALENDAR_CHANGED_TOPIC, { agencyCode, date, at: this.clock.now().toISOString() });
    });
    this.invalidate();
  }

  /**
   * Stores the national schedule of data/vn-holidays.json, leaving dates already present alone so
   * an administrator's correction survives restarts. Idempotent; returns how many rows were added.
   */
  async seedNational(): Promise<number> {
    const now = this.clock.now();
    const rows = storedNationalDays().map((d) => ({
      agencyCode: null,
      date: d.date,
      type: d.type,
      name: d.name,
      source: d.source,
      confidence: d.confidence,
      provisional: d.confidence === 'derived',
      updatedAt: now,
    }));
    const result = await this.days.createQueryBuilder().insert().values(rows).orIgnore().execute();
    const added = result.identifiers.filter(Boolean).length;
    if (added) this.invalidate();
    return added;
  }

  private cached(agencyCode: string | null): Promise<CachedCalendar> {
    const key = agencyCode ?? '';
    const hit = this.cache.get(key);
    const now = this.clock.now().getTime();
    if (hit) {
      return hit.then((c) => {
        if (now - c.builtAt < CACHE_TTL_MS) return c;
        if (this.cache.get(key) === hit) this.cache.delete(key);
        return this.cached(agencyCode);
      });
    }
    const building = this.build(agencyCode, now);
    this.cache.set(key, building);
    building.catch(() => this.cache.delete(key));
    return building;
  }

  private async build(agencyCode: string | null, builtAt: number): Promise<CachedCalendar> {
    const chain: Array<{ code: string; officeHours: OfficeHours }> = [];
    for (let code = agencyCode; code && chain.length < MAX_CHAIN;) {
      const agency = await this.agencies.findByCode(code);
      if (!agency) {
        if (chain.length === 0) throw unknownAgency(code, 'agencyCode');
        break;
      }
      chain.push(agency);
      code = agency.parentCode;
    }
    const codes = chain.map((a) => a.code);
    const rows = await this.days
      .createQueryBuilder('d')
      .where(codes.length ? '(d.agencyCode IS NULL OR d.agencyCode IN (:...codes))' : 'd.agencyCode IS NULL', { codes })
      .getMany();
    const days = new Map<string, EffectiveCalendarDay>();
    const storedYears = new Set(rows.filter((r) => r.agencyCode === null).map((r) => Number(r.date.slice(0, 4))));
    for (let year = DEFAULT_CALENDAR_RANGE.fromYear; year <= DEFAULT_CALENDAR_RANGE.toYear; year++) {
      if (storedYears.has(year)) continue;
      for (const h of provisionalNationalHolidays(year)) {
        days.set(h.date, {
          date: h.date,
          type: h.type,
          name: h.name,
          level: 'NATIONAL',
          agencyCode: null,
          source: h.source,
          confidence: h.confidence,
          provisional: true,
        });
      }
    }
    // Farthest level first, so a nearer one overwrites it for the same date.
    const depth = (r: CalendarDay) => (r.agencyCode === null ? chain.length : codes.indexOf(r.agencyCode));
    rows.sort((a, b) => depth(b) - depth(a));
    for (const r of rows) days.set(r.date, toEffective(r, r.agencyCode === null ? 'NATIONAL' : r.agencyCode === agencyCode ? 'AGENCY' : 'PARENT'));
    const hours = chain[0]?.officeHours ?? defaultOfficeHours();
    return { calendar: this.shared(hours, days), days, builtAt };
  }

  /**
   * Agencies with the same hours and days (most communes of a province) share one calendar: each
   * holds about half a megabyte of tables over its hundred years.
   */
  private shared(hours: OfficeHours, days: Map<string, EffectiveCalendarDay>): WorkingCalendar {
    const exceptions = [...days.values()]
      .map((d) => `${d.date}${d.type[0]}`)
      .sort()
      .join();
    const key = createHash('sha256').update(JSON.stringify(hours)).update(exceptions).digest('base64');
    let calendar = this.calendars.get(key);
    if (!calendar) {
      calendar = buildWorkingCalendar(hours, days.values());
      this.calendars.set(key, calendar);
    }
    return calendar;
  }

  private async assertKnownAgency(agencyCode: string | null): Promise<void> {
    if (agencyCode !== null && !(await this.agencies.findByCode(agencyCode))) throw unknownAgency(agencyCode, 'agencyCode');
  }
}

function toEffective(r: CalendarDay, level: CalendarDayLevel): EffectiveCalendarDay {
  return { date: r.date, type: r.type, name: r.name, level, agencyCode: r.agencyCode, source: r.source, confidence: r.confidence, provisional: r.provisional };
}

export function unknownAgency(code: string, field: string): AppError {
  return AgencyErrors.UNKNOWN_AGENCY(code, [{ field, message: `no agency ${code}` }]);
}

/** A real calendar date YYYY-MM-DD within the years the calendar covers (400 naming the field). */
export function assertCalendarDate(date: string, field: string): void {
  const valid = /^\d{4}-\d{2}-\d{2}$/.test(date) && !Number.isNaN(epochDay(date)) && new Date(epochDay(date) * 86_400_000).toISOString().startsWith(date);
  const year = Number(date.slice(0, 4));
  if (!valid || year < DEFAULT_CALENDAR_RANGE.fromYear || year > DEFAULT_CALENDAR_RANGE.toYear) {
    throw CommonErrors.VALIDATION_FAILED(`Ngày không hợp lệ ở trường ${field}`, `Invalid date in ${field}: "${date}"`, [
      { field, message: `must be a date YYYY-MM-DD in ${DEFAULT_CALENDAR_RANGE.fromYear}–${DEFAULT_CALENDAR_RANGE.toYear}` },
    ]);
  }
}
