import type { INestApplication } from '@nestjs/common';
import { CalendarService } from './calendar.service.js';

/**
 * Stores the national holiday schedule (data/vn-holidays.json) at every start, demo or not: due
 * dates depend on it. Idempotent; dates already stored are left as they are.
 */
export async function seedNationalCalendar(app: INestApplication, say: (line: string) => void = () => undefined): Promise<void> {
  const added = await app.get(CalendarService).seedNational();
  if (added) say(`stored ${added} national calendar days from data/vn-holidays.json`);
}
