import { HttpStatus } from '@nestjs/common';
import { defineErrors } from '../common/errors.js';

/** The working-time calendar. */
export const CalendarErrors = defineErrors('calendar', {
  CALENDAR_DAY_NOT_FOUND: [
    HttpStatus.NOT_FOUND,
    (date: string, agencyCode: string | null) => `Không có ngày ngoại lệ ${date} / No calendar exception on ${date}${agencyCode ? ` for ${agencyCode}` : ''}`,
  ],
  OUT_OF_CALENDAR_RANGE: [
    HttpStatus.UNPROCESSABLE_ENTITY,
    (fromYear: number, toYear: number) => `Ngoài phạm vi lịch ${fromYear}–${toYear} / Outside the calendar's years ${fromYear}–${toYear}`,
  ],
});
