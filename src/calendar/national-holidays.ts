import { hungKingsDate, tetDate } from './lunar.js';
import { addDays, epochDay, isoWeekday, type CalendarException } from './working-calendar.js';

/*
 * Provisional national holidays for a year the stored schedule (data/vn-holidays.json) does not
 * cover. The real days are published each year by notice; until then this is the Labour Code 2019
 * Art. 112(1) pattern, every row flagged provisional. Choices, each matching most recent notices:
 * - Tết: the last two days of the lunar year and the first three of the new one (2024, 2025 and
 *   2027 were decided that way; 2026 took one day before and four after).
 * - National Day: 2/9 and 3/9 when 2/9 is a Monday or Thursday, otherwise 1/9 and 2/9, so the
 *   break joins a weekend where it can (2024 Mon → 3/9, 2025 Tue → 1/9, 2026 Wed → 1/9,
 *   2027 Thu → 3/9).
 * - A holiday of Art. 112(1) on a Saturday or Sunday gives the next weekday(s) after its break off
 *   (Art. 111(3)): one per weekend day of the break.
 * - 24/11 (Vietnamese Culture Day, from 2026) is outside Art. 112(1): no make-up day.
 * Swapped Saturdays (làm bù) are never guessed: they only come from notices.
 */

export interface NationalHoliday extends CalendarException {
  nameEn: string;
  source: string;
  confidence: 'derived';
  provisional: true;
}

const SOURCE = 'Bộ luật Lao động 2019 Điều 111(3), 112(1); tính tạm, chưa có thông báo / Labour Code 2019 Art. 111(3), 112(1): provisional, no notice yet';
const CULTURE_DAY_FROM = 2026;

interface Break {
  days: Array<{ date: string; name: string; nameEn: string }>;
  makeUp: boolean;
}

const isWeekend = (date: string) => isoWeekday(epochDay(date)) >= 6;
const tetDay = (tet: string, offset: number, name: string, nameEn: string) => ({
  date: addDays(tet, offset),
  name: `Tết Nguyên đán – ${name}`,
  nameEn: `Lunar New Year – ${nameEn}`,
});

function breaksOf(year: number): Break[] {
  const tet = tetDate(year);
  const nationalDay = `${year}-09-02`;
  const adjacent = [1, 4].includes(isoWeekday(epochDay(nationalDay))) ? addDays(nationalDay, 1) : addDays(nationalDay, -1);
  const breaks: Break[] = [
    { days: [{ date: `${year}-01-01`, name: 'Tết Dương lịch', nameEn: "New Year's Day" }], makeUp: true },
    {
      days: [
        tetDay(tet, -2, 'nghỉ Tết (áp Tết)', 'holiday before New Year'),
        tetDay(tet, -1, 'nghỉ Tết (Giao thừa)', "New Year's Eve"),
        tetDay(tet, 0, 'mùng 1 Tết', "New Year's Day"),
        tetDay(tet, 1, 'mùng 2 Tết', '2nd day'),
        tetDay(tet, 2, 'mùng 3 Tết', '3rd day'),
      ],
      makeUp: true,
    },
    { days: [{ date: hungKingsDate(year), name: 'Giỗ Tổ Hùng Vương (10/3 âm lịch)', nameEn: "Hùng Kings' Commemoration Day" }], makeUp: true },
    {
      days: [
        { date: `${year}-04-30`, name: 'Ngày Chiến thắng', nameEn: 'Reunification Day' },
        { date: `${year}-05-01`, name: 'Ngày Quốc tế lao động', nameEn: "International Workers' Day" },
      ],
      makeUp: true,
    },
    {
      days: [nationalDay, adjacent]
        .sort()
        .map((date) =>
          date === nationalDay
            ? { date, name: 'Quốc khánh', nameEn: 'National Day' }
            : { date, name: 'Nghỉ Quốc khánh (ngày liền kề)', nameEn: 'National Day holiday (adjacent day)' },
        ),
      makeUp: true,
    },
  ];
  if (year >= CULTURE_DAY_FROM)
    breaks.push({ days: [{ date: `${year}-11-24`, name: 'Ngày Văn hóa Việt Nam', nameEn: 'Vietnamese Culture Day' }], makeUp: false });
  return breaks;
}

/** The provisional national days off of a Gregorian year, sorted by date. */
export function provisionalNationalHolidays(year: number): NationalHoliday[] {
  const off = new Map<string, { name: string; nameEn: string }>();
  const breaks = breaksOf(year);
  for (const b of breaks) for (const d of b.days) off.set(d.date, d);
  for (const b of breaks) {
    if (!b.makeUp) continue;
    let owed = b.days.filter((d) => isWeekend(d.date)).length;
    let date = b.days[b.days.length - 1].date;
    while (owed > 0) {
      date = addDays(date, 1);
      if (isWeekend(date) || off.has(date)) continue;
      off.set(date, { name: `Nghỉ bù (${b.days[0].name})`, nameEn: `Compensatory day off (${b.days[0].nameEn})` });
      owed--;
    }
  }
  return [...off.entries()]
    .filter(([date]) => date.startsWith(`${year}-`))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([date, d]) => ({ date, type: 'HOLIDAY', name: d.name, nameEn: d.nameEn, source: SOURCE, confidence: 'derived', provisional: true }));
}
