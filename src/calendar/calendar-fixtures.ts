import { readFileSync } from 'node:fs';
import type { CalendarException } from './working-calendar.js';

/** The national schedule as stored in data/vn-holidays.json (rows carry more fields than these). */
export function storedNationalDays(): Array<CalendarException & { nameEn: string; source: string; confidence: string }> {
  return JSON.parse(readFileSync(new URL('../../data/vn-holidays.json', import.meta.url), 'utf8'));
}

/** An instant from a Vietnam local time, 'YYYY-MM-DD HH:MM'. */
export const vn = (local: string): Date => new Date(`${local.replace(' ', 'T')}:00+07:00`);
