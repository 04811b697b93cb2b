/**
 * Domain code never calls `new Date()` directly: it asks the injected Clock, so tests can control
 * time (deadlines, dossier codes dated in Vietnam time).
 */
export abstract class Clock {
  abstract now(): Date;
}

export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}

/** A clock that tests set and advance. */
export class ManualClock extends Clock {
  constructor(private current: Date = new Date()) {
    super();
  }
  now(): Date {
    return new Date(this.current.getTime());
  }
  set(instant: Date | string): void {
    this.current = new Date(instant);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

export const VIETNAM_TZ = 'Asia/Ho_Chi_Minh';
const VN_OFFSET_MS = 7 * 3600 * 1000; // Vietnam has no daylight saving time: UTC+7 all year.

/** The calendar date in Vietnam (YYYY-MM-DD) of an instant. */
export function vietnamDate(instant: Date): string {
  return new Date(instant.getTime() + VN_OFFSET_MS).toISOString().slice(0, 10);
}

/** yyyyMMddHHmmss in Vietnam time: how the national portal and the payment platform write instants. */
export function vietnamCompactTime(d: Date): string {
  return new Date(d.getTime() + VN_OFFSET_MS).toISOString().slice(0, 19).replace(/[-T:]/g, '');
}

/** The instant of a yyyyMMddHHmmss Vietnam time, or null when it is not one. */
export function parseVietnamCompactTime(s: unknown): Date | null {
  const m = typeof s === 'string' ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(s) : null;
  return m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) - VN_OFFSET_MS) : null;
}
