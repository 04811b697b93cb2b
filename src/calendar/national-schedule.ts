import { readProjectData } from '../common/project-data.js';
import type { CalendarException } from './working-calendar.js';

/** A row of data/vn-holidays.json: the published national schedule (see data/README.md). */
export interface StoredNationalDay extends CalendarException {
  nameEn: string;
  source: string;
  confidence: 'official' | 'reported' | 'derived';
}

export const storedNationalDays = (): StoredNationalDay[] => readProjectData<StoredNationalDay[]>('vn-holidays.json');
